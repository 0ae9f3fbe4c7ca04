using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace WalActors.ProjectionChild;

/// <summary>Persists the input events the projection reads: "e-N", tagged "in", a few persistence ids.</summary>
internal sealed class InputWriter : ReceivePersistentActor
{
    public InputWriter()
    {
        Recover<string>(_ => { });
        Command<(int From, int Count)>(request =>
        {
            var replyTo = Sender;
            var events = Enumerable.Range(request.From, request.Count).Select(i => new Tagged($"e-{i}", ["in"])).ToList();
            PersistAll(events, _ => { });
            DeferAsync(request.Count, count => replyTo.Tell(count, Self));
        });
    }

    public override string PersistenceId => "input";
}
