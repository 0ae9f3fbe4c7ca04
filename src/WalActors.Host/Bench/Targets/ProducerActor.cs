using System.Diagnostics;
using Akka.Actor;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Bench.Targets;

/// <summary>A closed-loop producer written as a user would: send <see cref="Append"/>, wait for <see cref="Appended"/>, repeat.</summary>
internal sealed class ProducerActor : ReceiveActor
{
    private readonly IActorRef _log;
    private readonly ReadOnlyMemory<byte> _payload;
    private readonly int _index;
    private readonly LoadRecorder _recorder;
    private readonly TaskCompletionSource _stopped;
    private long _start;

    public ProducerActor(IActorRef log, ReadOnlyMemory<byte> payload, int index, LoadRecorder recorder, TaskCompletionSource stopped)
    {
        _log = log;
        _payload = payload;
        _index = index;
        _recorder = recorder;
        _stopped = stopped;

        Receive<Appended>(_ =>
        {
            _recorder.Completed(_index, _start);
            Next();
        });
        Receive<AppendFailed>(failed =>
        {
            _stopped.TrySetException(failed.Reason);
            Context.Stop(Self);
        });
    }

    public static Props Props(IActorRef log, ReadOnlyMemory<byte> payload, int index, LoadRecorder recorder, TaskCompletionSource stopped) =>
        Akka.Actor.Props.Create(() => new ProducerActor(log, payload, index, recorder, stopped));

    protected override void PreStart() => Next();

    private void Next()
    {
        if (_recorder.Stopping)
        {
            _stopped.TrySetResult();
            Context.Stop(Self);
            return;
        }

        _start = Stopwatch.GetTimestamp();
        _log.Tell(new Append(_payload), Self);
    }
}
