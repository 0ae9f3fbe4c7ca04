using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Query;
using WalActors.Cluster.Tests.Etcd;
using WalActors.Cluster.Tests.Journal;
using Xunit.Abstractions;

namespace WalActors.Cluster.Tests.Query;

/// <summary>
/// Three nodes, R = 3, W = 2, events persisted through sharded entities: the cluster read journal on a node that does
/// not host the entity's shard reads its events; by tag and all events deliver every event of every shard exactly once;
/// a query resumed from a stored string offset delivers exactly the rest; live queries see events persisted after they
/// started, in ledgers created after they started too; a ledger none of whose copies answers fails with a typed error.
/// </summary>
public sealed class ClusterReadJournalTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    private static readonly string[] Entities = ["a1", "b2", "c3", "d4", "e5", "f6"];
    private static readonly TimeSpan Patience = JournalCluster.Patience;

    [Fact]
    public async Task Queries_on_any_node_read_every_acknowledged_event_once_resume_exactly_and_follow_new_ones()
    {
        await using var cluster = await JournalCluster.StartAsync(etcd.Server.Endpoint, nodes: 3, replicas: 3, writeQuorum: 2,
            extraConfig: ColourTagger.Hocon + """

                walactors.cluster.query { refresh-interval = 200ms, timeout = 2s }
                limited-query { class = "WalActors.Cluster.Query.WalClusterReadJournalProvider, WalActors", max-ledgers = 1 }
                """);
        var written = new List<(string PersistenceId, long SequenceNr, string Value)>();
        var owners = new Dictionary<string, int>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var entity in Entities)
            {
                var value = round == 1 ? $"{entity}-red-{round}" : $"{entity}-{round}";
                var answer = await cluster.AskAsync(round % 3, $"{entity}:add:{value}");
                Assert.StartsWith($"added:{value}@", answer);
                written.Add((CounterEntity.PersistenceIdOf(entity), round + 1, value));
                owners[entity] = cluster.NodeOf(answer);
            }
        }

        // By persistence id, on a node that does not host the entity's shard (its own copy, or another's).
        var entity0 = Entities[0];
        var reader = cluster.Running.First(n => n != owners[entity0]);
        var queries = Queries(cluster, reader);
        var materializer = cluster.System(reader).Materializer();
        var pid0 = CounterEntity.PersistenceIdOf(entity0);

        // Bad arguments fail the call itself, not a stream later.
        Assert.ThrowsAny<ArgumentException>(() => queries.CurrentEventsByPersistenceId(string.Empty, 0, 10));
        Assert.ThrowsAny<ArgumentException>(() => queries.EventsByPersistenceId("no-type-name", 0, 10));
        Assert.ThrowsAny<ArgumentException>(() => queries.EventsByTag(string.Empty, NoOffset.Instance));
        Assert.ThrowsAny<ArgumentException>(() => queries.CurrentEventsByTag(null!, NoOffset.Instance));
        Assert.ThrowsAny<ArgumentException>(() => queries.CurrentAllEvents(Offset.Sequence(3)));
        Assert.ThrowsAny<ArgumentException>(() => queries.AllEvents(Offset.TimeBasedUuid(Guid.NewGuid())));
        var live = await queries.EventsByPersistenceId(pid0, 1, 3).RunWith(Sink.Seq<EventEnvelope>(), materializer).WaitAsync(Patience);
        Assert.Equal([$"{entity0}-0", $"{entity0}-red-1", $"{entity0}-2"], live.Select(e => (string)e.Event));
        Assert.Equal([1L, 2L, 3L], live.Select(e => e.SequenceNr));
        var bounded = await queries.CurrentEventsByPersistenceId(pid0, 2, 2).RunWith(Sink.Seq<EventEnvelope>(), materializer).WaitAsync(Patience);
        Assert.Equal([$"{entity0}-red-1"], bounded.Select(e => (string)e.Event));
        Assert.Empty(await queries.CurrentEventsByPersistenceId(pid0, 3, 2).RunWith(Sink.Seq<EventEnvelope>(), materializer).WaitAsync(Patience));

        // A deletion is respected: entity 1's first event is gone from every query once its tombstone is committed.
        var entity1 = Entities[1];
        Assert.Equal("deleted:1", await cluster.AskAsync(owners[entity1], $"{entity1}:delete:1"));
        written.RemoveAll(w => w.PersistenceId == CounterEntity.PersistenceIdOf(entity1) && w.SequenceNr == 1);
        await UntilAsync(async () => (await Current(queries.CurrentEventsByPersistenceId(CounterEntity.PersistenceIdOf(entity1), 0, long.MaxValue), materializer))
            .Select(e => e.SequenceNr).SequenceEqual([2L, 3L]));

        // All events, and by tag, across the shards: every event once (a copy may still learn its committed end).
        IReadOnlyList<EventEnvelope> all = [];
        await UntilAsync(async () =>
        {
            all = await Current(queries.CurrentAllEvents(NoOffset.Instance), materializer);
            AssertNoDuplicates(all);
            return Keys(all).SetEquals(written.Select(w => (w.PersistenceId, w.SequenceNr)));
        });
        Assert.Equal(written.Count, all.Count);
        var red = await Current(queries.CurrentEventsByTag("red", NoOffset.Instance), materializer);
        AssertNoDuplicates(red);
        Assert.True(Keys(red).SetEquals(written.Where(w => w.Value.Contains("red", StringComparison.Ordinal)).Select(w => (w.PersistenceId, w.SequenceNr))));
        Assert.All(red, e => Assert.Contains("red", e.Tags));

        // Resumed from a stored string offset mid-stream: exactly the events the first query had not delivered yet.
        var half = all.Count / 2;
        var stored = all[half - 1].Offset.ToString()!;
        output.WriteLine($"resuming after {half} of {all.Count} events from {stored}");
        var rest = await Current(queries.CurrentAllEvents(LedgerVectorOffset.Parse(stored)), materializer);
        AssertNoDuplicates(rest);
        Assert.Equal(Keys(all.Skip(half)), Keys(rest));
        Assert.Empty(Keys(all.Take(half)).Intersect(Keys(rest)));

        // Live queries see what is persisted after they started, in a shard that had no ledger yet too.
        var usedShards = Entities.Select(e => DefaultShardMapping.ShardOf(e, JournalCluster.Shards)).ToHashSet();
        var newcomer = Enumerable.Range(0, 1000).Select(i => $"n{i}").First(e => !usedShards.Contains(DefaultShardMapping.ShardOf(e, JournalCluster.Shards)));
        var redCount = red.Count;
        var allLive = queries.AllEvents(all[^1].Offset).Take(3).RunWith(Sink.Seq<EventEnvelope>(), materializer);
        var redLive = queries.EventsByTag("red", NoOffset.Instance).Take(redCount + 1).RunWith(Sink.Seq<EventEnvelope>(), materializer);
        var idsLive = queries.PersistenceIds().Take(Entities.Length + 1).RunWith(Sink.Seq<string>(), materializer);
        Assert.StartsWith("added:", await cluster.AskAsync(0, $"{Entities[2]}:add:late"));
        Assert.StartsWith("added:", await cluster.AskAsync(1, $"{newcomer}:add:{newcomer}-first"));
        Assert.StartsWith("added:", await cluster.AskAsync(2, $"{newcomer}:add:{newcomer}-red"));
        var after = await allLive.WaitAsync(Patience);
        Assert.Equal(
            new HashSet<(string, long)> { (CounterEntity.PersistenceIdOf(Entities[2]), 4), (CounterEntity.PersistenceIdOf(newcomer), 1), (CounterEntity.PersistenceIdOf(newcomer), 2) },
            Keys(after));
        var redAfter = await redLive.WaitAsync(Patience);
        AssertNoDuplicates(redAfter);
        Assert.Equal($"{newcomer}-red", redAfter.Single(e => e.PersistenceId == CounterEntity.PersistenceIdOf(newcomer)).Event);

        // Persistence ids: every one with an event, once; the live query also the newcomer's, which came later.
        var everyId = Entities.Append(newcomer).Select(CounterEntity.PersistenceIdOf).Order().ToList();
        Assert.Equal(everyId, (await idsLive.WaitAsync(Patience)).Order());
        var ids = await queries.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), materializer).WaitAsync(Patience);
        Assert.Equal(everyId, ids.Order());

        // A merged query that finds more ledgers than it may read at once fails rather than leave some unread.
        var limited = PersistenceQuery.Get(cluster.System(reader)).ReadJournalFor<WalClusterReadJournal>("limited-query");
        var overLimit = await Assert.ThrowsAsync<ClusterQueryLimitException>(() => Current(limited.CurrentAllEvents(NoOffset.Instance), materializer));
        Assert.Equal(1, overLimit.Limit);

        // A ledger whose copies are on nodes that never answer fails the query with a typed error, in bounded time.
        var ghosts = new[] { Address.Parse("akka.tcp://journal-cluster@127.0.0.1:1"), Address.Parse("akka.tcp://journal-cluster@127.0.0.1:2") };
        await LedgerEnsembleStore.For(cluster.System(reader), WalCluster.LeaseConfigPath, string.Empty).ClaimAsync("counter+ghost", ghosts);
        var failure = await Assert.ThrowsAsync<LedgerQuorumException>(() => Current(queries.CurrentAllEvents(NoOffset.Instance), materializer));
        Assert.Equal("counter+ghost", failure.Ledger);
    }

    private static WalClusterReadJournal Queries(JournalCluster cluster, int node) =>
        PersistenceQuery.Get(cluster.System(node)).ReadJournalFor<WalClusterReadJournal>(WalClusterReadJournal.Identifier);

    private static async Task<IReadOnlyList<EventEnvelope>> Current(Source<EventEnvelope, Akka.NotUsed> query, IMaterializer materializer) =>
        await query.RunWith(Sink.Seq<EventEnvelope>(), materializer).WaitAsync(Patience);

    private static HashSet<(string, long)> Keys(IEnumerable<EventEnvelope> envelopes) => [.. envelopes.Select(e => (e.PersistenceId, e.SequenceNr))];

    private static void AssertNoDuplicates(IReadOnlyList<EventEnvelope> envelopes) => Assert.Equal(envelopes.Count, Keys(envelopes).Count);

    // Copies learn the committed end shortly after an acknowledgement: a current query may need a few tries to see it.
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the queries did not see every acknowledged event in time");
            await Task.Delay(100);
        }
    }
}
