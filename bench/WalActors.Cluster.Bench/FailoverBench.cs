using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Bench;

/// <summary>
/// Failover: a node hosting every entity is killed with SIGKILL; how long until all of them answer again from the
/// surviving node. Three members: this process (role <c>client</c>, the driver: it routes and hosts nothing), the
/// victim and the survivor (child processes, role <c>host</c>). The entities are started and persist once on the
/// victim before the survivor joins, and shards do not rebalance, so the victim hosts all of them when it dies (and the
/// shard coordinator with them: it runs on the oldest host). Measured from the kill: the victim removed from the
/// membership (failure detection plus the split-brain resolver's 5 s), the first entity answering and the last. Every
/// entity is asked at the kill, again once the victim is removed, and then every 30 s until it answers; its answer's
/// sequence number must be above the highest acknowledged to it before the kill.
/// </summary>
public static class FailoverBench
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static async Task<FailoverResult> RunAsync(string journal, string setting, string? etcdEndpoint, int entities)
    {
        // The driver's node keeps ledger copies too (the cluster journal's replica host runs on every member).
        await using var client = await BenchNode.StartAsync(
            FailoverSettings.Client.WithFallback(BenchJournals.For(journal, setting, etcdEndpoint, "client")), proxyFor: "host");
        var seed = client.Address.ToString();
        await using var victim = await NodeProcess.StartAsync(journal, seed, setting, etcdEndpoint);
        var ids = Enumerable.Range(0, entities).Select(i => $"failover-{i}").ToArray();
        // Starting thousands of entities at once: asked again only after 30 s, so recoveries are not queued twice.
        var fill = await client.System.ActorOf(FailoverProbe.Props(client.Region, TimeSpan.FromSeconds(30)))
            .Ask<FailoverProbe.AllAnswered>(new FailoverProbe.Probe(ids, new Dictionary<string, long>()), Patience);
        Console.WriteLine($"  {journal}: {entities:N0} entities started on the victim and persisted once in {fill.Last.TotalSeconds:F1} s");
        await using var survivor = await NodeProcess.StartAsync(journal, seed, setting, etcdEndpoint);
        await WaitUntil(() => AkkaCluster.Get(client.System).State.Members.Count(m => m.Status == MemberStatus.Up) == 3, "three members up");
        var shards = await ShardsPerNode(client);
        Console.WriteLine($"  {journal}: shards per node before the kill: {string.Join(", ", shards.Select(s => $"{s.Key} {s.Value}"))}");

        var probe = client.System.ActorOf(FailoverProbe.Props(client.Region, TimeSpan.FromSeconds(30)));
        var killed = Stopwatch.GetTimestamp();
        await victim.KillAsync();
        var answered = probe.Ask<FailoverProbe.AllAnswered>(new FailoverProbe.Probe(ids, fill.Acknowledged), Patience);
        var victimAddress = Address.Parse(victim.Address);
        await WaitUntil(() => AkkaCluster.Get(client.System).State.Members.All(m => m.Address != victimAddress), "the victim removed");
        var removed = Stopwatch.GetElapsedTime(killed);
        probe.Tell(new FailoverProbe.ResendNow());
        var all = await answered;
        return new FailoverResult(journal, entities, removed, all.First, all.Last, all.Sent, all.Lost);
    }

    private static async Task<Dictionary<string, int>> ShardsPerNode(BenchNode client)
    {
        var stats = await client.Region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(30));
        return stats.Regions.ToDictionary(r => r.Key.HostPort(), r => r.Value.Stats.Count);
    }

    // Membership is polled: a benchmark's 50 ms of resolution, not a test's timing.
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
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
