using System.Diagnostics;
using System.Text;
using Akka.Actor;

namespace WalActors.Host.Demo;

/// <summary>A closed-loop producer: one durable append in flight, the next sent when the last is acknowledged.</summary>
internal sealed class DemoProducer : ReceiveActor
{
    private readonly List<int> _latenciesMicros = new(64 * 1024);
    private long _sentAt;
    private bool _stopping;
    private int _failed;
    private int _sequence;

    public DemoProducer(IActorRef log, int id, int payloadSize, IActorRef reportTo)
    {
        void SendNext()
        {
            var text = Encoding.UTF8.GetBytes($"demo producer {id} record {_sequence++} ");
            var payload = new byte[Math.Max(payloadSize, text.Length)];
            text.CopyTo(payload, 0);
            payload.AsSpan(text.Length).Fill((byte)'.');
            _sentAt = Stopwatch.GetTimestamp();
            log.Tell(new Append(payload));
        }

        void Next()
        {
            if (_stopping)
            {
                reportTo.Tell(new Finished(_latenciesMicros, _failed));
                Context.Stop(Self);
            }
            else
            {
                SendNext();
            }
        }

        Receive<Begin>(_ => SendNext());
        Receive<Appended>(_ =>
        {
            _latenciesMicros.Add((int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(_sentAt).TotalMicroseconds));
            Next();
        });
        Receive<AppendFailed>(_ =>
        {
            _failed++;
            Next();
        });
        Receive<End>(_ => _stopping = true);
    }

    public sealed class Begin
    {
        public static readonly Begin Instance = new();
    }

    public sealed class End
    {
        public static readonly End Instance = new();
    }

    public sealed record Finished(List<int> LatenciesMicros, int Failed);
}
