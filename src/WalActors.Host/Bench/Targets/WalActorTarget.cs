using Akka.Actor;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Bench.Targets;

/// <summary>WalActors through the actor API: producer actors on the default dispatcher send <see cref="Append"/> and await <see cref="Appended"/>.</summary>
internal sealed class WalActorTarget(string directory) : WalActorsTarget(directory)
{
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
}
