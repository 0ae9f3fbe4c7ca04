using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using WalActors.Logging;
using WalActors.Logging.Tail;
using WalActors.Tests.Support;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Tests.Logging;

/// <summary>
/// The cluster-wide view of cluster-local logs: nodes of one cluster (actor systems on 127.0.0.1) each log with
/// WalLogger into a log of their own; a viewer that is not a member follows all of them from one node's address.
/// </summary>
public sealed class ClusterLogTailTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();
    private readonly List<ActorSystem> _systems = [];

    public void Dispose()
    {
        Task.WhenAll(_systems.Select(s => s.Terminate())).Wait(Patience);
        _directory.Dispose();
    }

    [Fact]
    public async Task A_viewer_follows_every_members_log_from_one_address_including_a_node_that_joins_later_and_hears_when_one_leaves()
    {
        var first = await StartNodeAsync(seed: null);
        var second = await StartNodeAsync(seed: first);
        var viewer = Start("viewer", "akka.actor.provider = remote");
        var seen = new ConcurrentQueue<NodeLogEntry>();
        var ended = new ConcurrentQueue<Address>();
        using var stop = new CancellationTokenSource(Patience);
        var options = new ClusterLogTailOptions { MembershipRefresh = TimeSpan.FromMilliseconds(200), NodeEnded = (node, _) => ended.Enqueue(node) };
        var following = Task.Run(async () =>
        {
            await foreach (var entry in ClusterLogTail.Follow(viewer, Address(first), options, stop.Token))
            {
                seen.Enqueue(entry);
            }
        });

        var marker = Guid.NewGuid().ToString("N");
        first.Log.Warning("first says {0}", marker);
        second.Log.Warning("second says {0}", marker);
        await Until(() => Said(seen, first, $"first says {marker}") && Said(seen, second, $"second says {marker}"), stop.Token);

        var third = await StartNodeAsync(seed: second);
        third.Log.Warning("third says {0}", marker);
        await Until(() => Said(seen, third, $"third says {marker}"), stop.Token);

        // Records of one node come in its log's order, each once.
        foreach (var node in new[] { first, second, third })
        {
            var lsns = seen.Where(e => e.Node == Address(node)).Select(e => e.Lsn.Value).ToList();
            Assert.Equal(lsns.Order(), lsns);
            Assert.Equal(lsns.Count, lsns.Distinct().Count());
        }

        await third.Terminate();
        await Until(() => ended.Contains(Address(third)), stop.Token);
        Assert.DoesNotContain(Address(first), ended);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following.WaitAsync(Patience));
    }

    [Fact]
    public async Task An_address_where_no_node_log_answers_is_NodeLogUnavailableException_in_bounded_time()
    {
        var viewer = Start("viewer", "akka.actor.provider = remote");
        var nobody = Start("nobody", "akka.actor.provider = remote");
        var address = Address(nobody);
        await nobody.Terminate();

        var options = new ClusterLogTailOptions { AskTimeout = TimeSpan.FromSeconds(1) };
        var error = await Assert.ThrowsAsync<NodeLogUnavailableException>(async () =>
        {
            await foreach (var _ in ClusterLogTail.Follow(viewer, address, options))
            {
            }
        });
        Assert.Equal(address.ToString(), error.Address);
    }

    private static bool Said(IEnumerable<NodeLogEntry> seen, ActorSystem node, string message) =>
        seen.Any(e => e.Node == Address(node) && LogEventRecord.TryParse(e.Payload.Span, out var record) && record!.Message == message);

    private static async Task Until(Func<bool> condition, CancellationToken patience)
    {
        while (!condition())
        {
            await Task.Delay(20, patience);
        }
    }

    private static Address Address(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    private async Task<ActorSystem> StartNodeAsync(ActorSystem? seed)
    {
        var system = Start("logging-cluster", """
            akka.actor.provider = cluster
            akka.loggers = ["WalActors.Logging.WalLogger, WalActors"]
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            """);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = AkkaCluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await cluster.JoinAsync(seed is null ? cluster.SelfAddress : AkkaCluster.Get(seed).SelfAddress);
        await up.Task.WaitAsync(Patience);
        return system;
    }

    private ActorSystem Start(string name, string extra)
    {
        var system = ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
            akka.loglevel = INFO
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            walactors.logging.directory = {{System.Text.Json.JsonSerializer.Serialize(_directory.Combine("logs"))}}
            walactors.log.segment-size = 1 MiB
            {{extra}}
            """).WithFallback(WalConfig.Defaults));
        _systems.Add(system);
        return system;
    }
}
