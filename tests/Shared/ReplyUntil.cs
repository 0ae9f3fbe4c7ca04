using Akka.Actor;

namespace WalActors.Tests.Support;

/// <summary>
/// A reply-to for protocols that answer with several messages (a journal's WriteMessages, ReplayMessages): every
/// message goes to a test's predicate, and the task completes with the first one it accepts.
/// </summary>
public static class ReplyUntil
{
    /// <summary>Sends what <paramref name="send"/> sends with a reply-to that passes every message to <paramref name="done"/> until it says done.</summary>
    public static Task<object> Send(ActorSystem system, Func<object, bool> done, Action<IActorRef> send, TimeSpan patience)
    {
        var answer = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        send(system.ActorOf(Props.Create(() => new UntilActor(done, answer))));
        return answer.Task.WaitAsync(patience);
    }

    private sealed class UntilActor : ReceiveActor
    {
        public UntilActor(Func<object, bool> done, TaskCompletionSource<object> answer) =>
            ReceiveAny(message =>
            {
                if (done(message))
                {
                    answer.TrySetResult(message);
                    Context.Stop(Self);
                }
            });
    }
}
