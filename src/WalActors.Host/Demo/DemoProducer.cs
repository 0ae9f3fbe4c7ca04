using System.Diagnostics;
using System.Text;
using Akka.Actor;

namespace WalActors.Host.Demo;

/// <summary>
/// A closed-loop producer: one durable append in flight, the next sent when the last is acknowledged, until the recorder
/// says stop. A failed append stops it: the log refuses the next one for the same reason.
/// </summary>
internal sealed class DemoProducer : ReceiveActor
{
    private readonly IActorRef _log;
    private readonly int _id;
    private readonly int _payloadSize;
    private readonly DemoRecorder _recorder;
    private long _sentAt;
    private int _sequence;

    public DemoProducer(IActorRef log, int id, int payloadSize, DemoRecorder recorder)
    {
        _log = log;
        _id = id;
        _payloadSize = payloadSize;
        _recorder = recorder;
        Receive<Appended>(_ =>
        {
            _recorder.Acknowledged(_sentAt);
            Next();
        });
        Receive<AppendFailed>(failed =>
        {
            _recorder.Fail(failed.Reason);
            Stop();
        });
    }

    public static Props Props(IActorRef log, int id, int payloadSize, DemoRecorder recorder) =>
        Akka.Actor.Props.Create(() => new DemoProducer(log, id, payloadSize, recorder));

    protected override void PreStart() => Next();

    private void Next()
    {
        if (_recorder.Stopping)
        {
            Stop();
            return;
        }

        _sentAt = Stopwatch.GetTimestamp();
        _log.Tell(new Append(Payload()));
    }

    private void Stop()
    {
        _recorder.ProducerStopped();
        Context.Stop(Self);
    }

    // Exactly the asked size: a readable prefix naming the record, padded with dots or cut short.
    private byte[] Payload()
    {
        var payload = new byte[_payloadSize];
        var text = Encoding.UTF8.GetBytes($"demo producer {_id} record {_sequence++} ");
        var written = Math.Min(text.Length, payload.Length);
        text.AsSpan(0, written).CopyTo(payload);
        payload.AsSpan(written).Fill((byte)'.');
        return payload;
    }
}
