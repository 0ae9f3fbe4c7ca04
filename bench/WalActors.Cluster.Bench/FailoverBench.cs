using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Bench;

/// <summary>
/// Failover: a node hosting <c>entities</c> entities is killed with SIGKILL; how long until all of them answer again
/// from the surviving node. Three members: this process (role <c>client</c>, the driver: it routes and hosts nothing),
/// the victim and the survivor (child processes, role <c>host</c>). All three are up before any entity starts: the
/// cluster journal at R = 3 places every ledger's copies on three live members (each member keeps ledger copies), so
/// with only the victim and the driver up it would refuse every write. Twice <c>entities</c> entities start and persist
/// once, spread over both hosts by the allocation strategy; shards do not rebalance, so what the victim hosts when it
/// dies is what <see cref="GetClusterShardingStats"/> showed (and the shard coordinator: it runs on the oldest host,
/// the victim). Measured from the kill, for the victim's entities only: the victim removed from the membership
/// (failure detection plus the split-brain resolver's 5 s), the first entity answering and the last. Each of them is
/// pinged (it answers once recovered, persisting nothing) at the kill, again once the victim is removed, and then
/// every 2 s until it answers; its answer's sequence number must be at least the highest acknowledged to it before.
/// </summary>
public static class FailoverBench
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    // The last answers come at most this long after the entity could first answer: the resolution of "all answered".
    private static readonly TimeSpan PingResend = TimeSpan.FromSeconds(2);

    public static async Task<FailoverResult> RunAsync(string journal, string setting, string? etcdEndpoint, int entities)
    {
        // The driver's node keeps ledger copies too (the cluster journal's replica host runs on every member).
        await using var client = await BenchNode.StartAsync(
            FailoverSettings.Client.WithFallback(BenchJournals.For(journal, setting, etcdEndpoint, "client")), proxyFor: "host");
        var seed = client.Address.ToString();
        await using var victim = await NodeProcess.StartAsync(journal, seed, setting, etcdEndpoint);
        await using var survivor = await NodeProcess.StartAsync(journal, seed, setting, etcdEndpoint);
        // Up in the driver's view is not yet Up in every member's: a host that proposes a ledger's ensemble while it
        // sees two members Up refuses (an ensemble of fewer than R copies would stay so), its entities fail recovery and
        // the journal's circuit breaker opens. Converged gossip (seen by all three) means every member sees three Up.
        await WaitUntil(() => AkkaCluster.Get(client.System).State is var state
            && state.Members.Count(m => m.Status == MemberStatus.Up) == 3 && state.SeenBy.Count == 3, "three members up, seen by all");
        // And both hosts' regions registered with the coordinator, or the first one would be given every shard.
        await WaitUntilAsync(async () => (await client.Region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(10))).Regions.Count == 2, "both hosts' regions registered");
        var ids = Enumerable.Range(0, 2 * entities).Select(i => $"failover-{i}").ToArray();
        // Starting thousands of entities at once: asked again only after 30 s, so recoveries are not queued twice.
        var fill = await client.System.ActorOf(FailoverProbe.Props(client.Region, TimeSpan.FromSeconds(30)))
            .Ask<FailoverProbe.AllAnswered>(new FailoverProbe.Probe(ids, new Dictionary<string, long>(), Persist: true), Patience);
        var shards = await ShardsPerNode(client);
        var victimAddress = Address.Parse(victim.Address);
        var victimShards = shards.GetValueOrDefault(victimAddress.HostPort()) ?? [];
        var extractor = new EntityExtractor(BenchNode.Shards);
        var victimIds = ids.Where(id => victimShards.Contains(extractor.ShardId(id, new PersistOne(id)))).ToArray();
        Console.WriteLine(
            $"  {journal}: {ids.Length:N0} entities started and persisted once in {fill.Last.TotalSeconds:F1} s; the victim hosts " +
            $"{victimIds.Length:N0} of them in {victimShards.Count} shards (shards per node: {string.Join(", ", shards.Select(s => $"{s.Key} {s.Value.Count}"))})");

        var probe = client.System.ActorOf(FailoverProbe.Props(client.Region, PingResend));
        var killed = Stopwatch.GetTimestamp();
        await victim.KillAsync();
        var answered = probe.Ask<FailoverProbe.AllAnswered>(new FailoverProbe.Probe(victimIds, fill.Acknowledged, Persist: false), Patience);
        await WaitUntil(() => AkkaCluster.Get(client.System).State.Members.All(m => m.Address != victimAddress), "the victim removed");
        var removed = Stopwatch.GetElapsedTime(killed);
        probe.Tell(new FailoverProbe.ResendNow());
        var all = await answered;
        return new FailoverResult(journal, victimIds.Length, removed, all.First, all.Last, all.Sent, all.Lost);
    }

    private static async Task<Dictionary<string, HashSet<string>>> ShardsPerNode(BenchNode client)
    {
        var stats = await client.Region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(30));
        return stats.Regions.ToDictionary(r => r.Key.HostPort(), r => r.Value.Stats.Keys.ToHashSet());
    }

    // Membership is polled: a benchmark's 50 ms of resolution, not a test's timing.
    private static Task WaitUntil(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException($"not {what} within {Patience}");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>
/// From the kill: the victim removed from the cluster, the first and the last entity answering again; the requests
/// sent, and the entities that came back without an event acknowledged before the kill.
/// </summary>
public sealed record FailoverResult(string Journal, int Entities, TimeSpan Removed, TimeSpan FirstAnswer, TimeSpan AllAnswered, long Requests, long Lost);
