using Akka.Actor;
using Akka.Configuration;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// A node's replica host starts a ledger's copy on demand, in its own directory, and after a restart starts every copy
/// already on disk by itself, so a writer probing the copy by path finds it with what it held.
/// </summary>
public sealed class LedgerReplicaHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_restarted_host_starts_the_copies_on_disk_before_anyone_asks_for_them()
    {
        var directory = Directory.CreateTempSubdirectory("walactors-replica-host-").FullName;
        try
        {
            const string ledger = "counter+3";
            var first = Start(directory);
            var copy = (await LedgerReplicas.Get(first).Host.Ask<ReplicaReady>(new EnsureReplica(ledger), Patience)).Replica;
            Assert.Equal(copy, (await LedgerReplicas.Get(first).Host.Ask<ReplicaReady>(new EnsureReplica(ledger), Patience)).Replica);
            Assert.IsType<Replicated>(await copy.Ask<object>(new ReplicateBatch(ledger, 1, 0, [new LedgerEntry(1, [7, 8])], 0), Patience));
            Assert.True(Directory.Exists(Path.Combine(directory, "ledgers", ledger)));
            await first.Terminate();

            var second = Start(directory);
            LedgerReplicas.Get(second);
            var byPath = second.ActorSelection(LedgerReplicaHost.PathAt(((ExtendedActorSystem)second).Provider.DefaultAddress) / ledger);
            var read = await (await byPath.ResolveOne(Patience)).Ask<RangeRead>(new ReadRange(ledger, 0, 10), Patience);
            Assert.Equal([7, 8], Assert.Single(read.Entries).Payload);
            await second.Terminate();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ActorSystem Start(string directory) => ActorSystem.Create("replica-host", ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        walactors.cluster.journal.directory = "{{directory.Replace("\\", "/", StringComparison.Ordinal)}}"
        """).WithFallback(WalClusterJournal.DefaultConfig()));
}
