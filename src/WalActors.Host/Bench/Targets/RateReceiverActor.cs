using Akka.Actor;
using WalActors.Host.Bench.OpenLoop;

namespace WalActors.Host.Bench.Targets;

/// <summary>
/// Where the rate pacer's appends through the actor API are answered: each append carries its scheduled time as the
/// correlation id, so one actor can record them all, in whatever order the answers come.
/// </summary>
internal sealed class RateReceiverActor : ReceiveActor
{
    public RateReceiverActor(RateRecorder recorder)
    {
        Receive<Appended>(appended => recorder.Completed((long)appended.CorrelationId!));
        Receive<AppendFailed>(failed => recorder.Failed(failed.Reason));
    }

    public static Props Props(RateRecorder recorder) => Akka.Actor.Props.Create(() => new RateReceiverActor(recorder));
}
