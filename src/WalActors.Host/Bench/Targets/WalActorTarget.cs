using Akka.Actor;
using WalActors.Host.Bench.Measurement;
using WalActors.Host.Bench.OpenLoop;

namespace WalActors.Host.Bench.Targets;

/// <summary>WalActors through the actor API: producer actors on the default dispatcher send <see cref="Append"/> and await <see cref="Appended"/>.</summary>
internal sealed class WalActorTarget(string directory) : WalActorsTarget(directory), IOpenLoopTarget
{
    private (RateRecorder Recorder, IActorRef Receiver)? _rate;

    public override Task RunProducersAsync(LoadRecorder recorder, ReadOnlyMemory<byte> payload)
    {
        var stopped = new Task[recorder.Producers];
        for (var p = 0; p < recorder.Producers; p++)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            stopped[p] = done.Task;
            System.ActorOf(ProducerActor.Props(Client.Log, payload, p, recorder, done), $"producer-{p}");
        }

        return Task.WhenAll(stopped);
    }

    // One pacer drives one target, from one thread: the receiver is made on the first offer of a run.
    public void Offer(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder)
    {
        if (_rate is not { } rate || rate.Recorder != recorder)
        {
            rate = (recorder, System.ActorOf(RateReceiverActor.Props(recorder), "rate-receiver"));
            _rate = rate;
        }

        Client.Log.Tell(new Append(payload, CorrelationId: scheduled), rate.Receiver);
    }
}
