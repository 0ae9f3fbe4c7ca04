using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors;
using WalActors.Persistence;
using WalActors.ProjectionChild;

// WalActors.ProjectionChild DIR write FROM COUNT      appends events "e-FROM".."e-(FROM+COUNT-1)" tagged "in", then exits
// WalActors.ProjectionChild DIR run MODE EVERY        runs projection "copy" (handled events go to handled.txt, outputs to
//                                                     persistence id "out"), printing "handled N" as it goes, until killed
// WalActors.ProjectionChild DIR finish MODE EVERY     runs it until its lag is 0, then stops it cleanly and exits
// WalActors.ProjectionChild DIR outputs               prints the events of "out", one a line
var directory = args[0];
using var system = ActorSystem.Create("child", ConfigurationFactory.ParseString($$"""
    akka.loglevel = WARNING
    akka.persistence.journal.plugin = "walactors.persistence.journal"
    akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
    walactors.persistence.journal.directory = "{{Path.Combine(directory, "journal").Replace("\\", "\\\\", StringComparison.Ordinal)}}"
    """).WithFallback(WalPersistence.DefaultConfig()).WithFallback(WalConfig.Defaults));
var patience = TimeSpan.FromSeconds(60);
switch (args[1])
{
    case "write":
        var writer = system.ActorOf(Props.Create(() => new InputWriter()), "writer");
        await writer.Ask<int>((int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)), patience);
        break;
    case "run" or "finish":
        var options = new WalProjectionOptions
        {
            Mode = Enum.Parse<ProjectionMode>(args[2]),
            CommitEvery = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
        };
        var handler = new CopyHandler(Path.Combine(directory, "handled.txt"));
        var projection = WalProjection.Start(system, "copy", ProjectionQuery.ByTag("in"), handler, options);
        var deadline = DateTime.UtcNow + patience;
        while (args[1] == "run" || await projection.GetLagAsync() > 0)
        {
            if (projection.Completion.IsFaulted || DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine($"the projection stopped or never caught up: {projection.Completion.Exception}");
                return 1;
            }

            Console.WriteLine($"handled {handler.Count}");
            await Task.Delay(5);
        }

        await projection.StopAsync();
        break;
    case "outputs":
        var events = await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
            .CurrentEventsByPersistenceId("out", 0, long.MaxValue).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
        foreach (var envelope in events)
        {
            Console.WriteLine($"{envelope.SequenceNr}\t{envelope.Event}");
        }

        break;
}

await system.Terminate();
return 0;
