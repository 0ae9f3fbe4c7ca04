using Akka.Actor;

namespace WalActors.Tests.Support;

/// <summary>
/// Turns actor-API replies into tasks: appends sent with <see cref="Collector"/> as their sender and an int correlation id
/// complete the task of that id with the reply (<see cref="Appended"/>, <see cref="BatchAppended"/> or
/// <see cref="AppendFailed"/>); every reply is counted, so an id answered twice shows.
/// </summary>
public sealed class ReplyTasks
{
    private readonly TaskCompletionSource<object>[] _replies;
    private readonly int[] _answers;

    public ReplyTasks(ActorSystem system, int count)
    {
        _replies = Enumerable.Range(0, count).Select(_ => new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        _answers = new int[count];
        Collector = system.ActorOf(Props.Create(() => new CollectorActor(this)));
    }

    public IActorRef Collector { get; }

    public IReadOnlyList<Task<object>> Tasks => _replies.Select(r => r.Task).ToList();

    /// <summary>Ids answered more than once.</summary>
    public IEnumerable<int> AnsweredTwice => Enumerable.Range(0, _answers.Length).Where(i => Volatile.Read(ref _answers[i]) > 1);

    private void Record(int id, object reply)
    {
        Interlocked.Increment(ref _answers[id]);
        _replies[id].TrySetResult(reply);
    }

    private sealed class CollectorActor : ReceiveActor
    {
        public CollectorActor(ReplyTasks owner)
        {
            Receive<Appended>(a => owner.Record((int)a.CorrelationId!, a));
            Receive<BatchAppended>(a => owner.Record((int)a.CorrelationId!, a));
            Receive<AppendFailed>(a => owner.Record((int)a.CorrelationId!, a));
        }
    }
}
