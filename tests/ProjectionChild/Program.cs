using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors;
using WalActors.Persistence;
using WalActors.ProjectionChild;

// WalActors.ProjectionChild DIR write FROM COUNT
//     persists events "e-FROM".."e-(FROM+COUNT-1)", tagged "in", event i under persistence id "input-(i mod 8)";
//     prints "written N" each time every event below N is acknowledged
// (WALACTORS_CHILD_HOCON, when set, is configuration put over the journal's: its index checkpoints, say.)
// WalActors.ProjectionChild DIR run MODE EVERY INSTANCES [FROM COUNT]
//     runs INSTANCES partitioned instances of projection "copy" (each event handled is appended to handled.txt, its
//     output "out:EVENT" goes to "out-" + its persistence id), while writing COUNT more events from FROM if given;
//     prints "handled N" as it goes, until killed
// WalActors.ProjectionChild DIR finish MODE EVERY INSTANCES
//     runs them until every instance's lag is 0, then stops them cleanly and exits
// WalActors.ProjectionChild DIR events
//     prints every event in the journal: PERSISTENCE-ID TAB SEQUENCE-NR TAB EVENT
var directory = args[0];
using var system = ActorSystem.Create("child", ConfigurationFactory.ParseString(Environment.GetEnvironmentVariable("WALACTORS_CHILD_HOCON") ?? "").WithFallback(ConfigurationFactory.ParseString($$"""
    akka.loglevel = WARNING
    akka.persistence.journal.plugin = "walactors.persistence.journal"
    akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
    walactors.persistence.journal.directory = "{{Path.Combine(directory, "journal").Replace("\\", "\\\\", StringComparison.Ordinal)}}"
    """)).WithFallback(WalPersistence.DefaultConfig()).WithFallback(WalConfig.Defaults));
var patience = TimeSpan.FromSeconds(60);
int Arg(int at) => int.Parse(args[at], CultureInfo.InvariantCulture);
switch (args[1])
{
    case "write":
        await Inputs.WriteAsync(system, Arg(2), Arg(3), patience, Console.Out);
        break;
    case "run" or "finish":
        // Progress is counted from the moment the journal is ready (its index loaded), not from the process's start:
        // the parent kills after a number of reports, and a start-up that took them all would test nothing.
        await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
            .CurrentPersistenceIds().RunWith(Sink.Ignore<string>(), system.Materializer()).WaitAsync(patience);
        var options = new WalProjectionOptions { Mode = Enum.Parse<ProjectionMode>(args[2]), CommitEvery = Arg(3), SliceCount = 16 };
        var instances = Arg(4);
        var handler = new CopyHandler(Path.Combine(directory, "handled.txt"));
        var projections = Enumerable.Range(0, instances)
            .Select(i => WalProjection.Start(system, "copy", ProjectionQuery.ByTag("in"), handler, options with { Partition = new ProjectionPartition(i, instances) }))
            .ToList();
        var writing = args.Length > 6 ? Inputs.WriteAsync(system, Arg(5), Arg(6), patience) : Task.CompletedTask;
        var deadline = DateTime.UtcNow + patience;
        while (args[1] == "run" || (await Task.WhenAll(projections.Select(p => p.GetLagAsync()))).Sum() > 0)
        {
            if (projections.Any(p => p.Completion.IsFaulted) || writing.IsFaulted || DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine($"a projection stopped or never caught up: {projections.Select(p => p.Completion.Exception).FirstOrDefault(e => e is not null) ?? writing.Exception}");
                return 1;
            }

            Console.WriteLine($"handled {handler.Count}");
            await Task.Delay(5);
        }

        await Task.WhenAll(projections.Select(p => p.StopAsync()));
        break;
    case "events":
        var events = await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
            .CurrentAllEvents(Offset.NoOffset()).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
        foreach (var envelope in events)
        {
            Console.WriteLine($"{envelope.PersistenceId}\t{envelope.SequenceNr}\t{envelope.Event}");
        }

        break;
}

await system.Terminate();
return 0;
