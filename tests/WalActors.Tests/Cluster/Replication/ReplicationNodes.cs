using Akka.Actor;
using Akka.Configuration;
using WalActors.Cluster.Replication;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>
/// Three actor systems in this process, each a node on 127.0.0.1 with Akka.Remote on a port of its own, all starting
/// with the replication serializer bound. Shared by the replication tests: each test uses ledgers of its own.
/// </summary>
public sealed class ReplicationNodes : IAsyncLifetime, IDisposable
{
    private static readonly Config NodeConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        """).WithFallback(WalReplication.DefaultConfig()).WithFallback(WalConfig.Defaults);

    private readonly TempDirectory _directory = new();

    public IReadOnlyList<ActorSystem> Systems { get; private set; } = [];

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(10);

    public Task InitializeAsync()
    {
        Systems = [.. Enumerable.Range(0, 3).Select(i => ActorSystem.Create($"node{i}", NodeConfig))];
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(Systems.Select(s => s.Terminate()));
        Dispose();
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Starts node <paramref name="node"/>'s replica of <paramref name="ledger"/> (again, after a stop: same directory, same name).</summary>
    public IActorRef StartReplica(int node, string ledger) => Start(node, ledger, LedgerReplica.Props(ledger, LogOptions(node, ledger)));

    /// <summary>Starts node <paramref name="node"/>'s replica of <paramref name="ledger"/> with its log on the store <paramref name="openStore"/> opens (a disk that can lose power).</summary>
    public IActorRef StartReplica(int node, string ledger, Func<IWalStore> openStore) =>
        Start(node, ledger, LedgerReplica.Props(ledger, LogOptions(node, ledger), openStore));

    private IActorRef Start(int node, string ledger, Props props)
    {
        // A stopped replica's name is free once its parent has seen it terminate, which may be just after our watch did.
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return Systems[node].ActorOf(props, ReplicaName(ledger));
            }
            catch (InvalidActorNameException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>Node <paramref name="node"/>'s replica of <paramref name="ledger"/> as <paramref name="from"/> sees it: across Akka.Remote when the nodes differ.</summary>
    public Task<IActorRef> Resolve(int from, int node, string ledger) =>
        Systems[from].ActorSelection(new RootActorPath(Address(node)) / "user" / ReplicaName(ledger)).ResolveOne(Timeout);

    /// <summary>A reference by path to node <paramref name="node"/>'s replica, whether it runs or not (a writer reaches it once it does).</summary>
    public IActorRef PathTo(int from, int node, string ledger) =>
        ((ExtendedActorSystem)Systems[from]).Provider.ResolveActorRef(new RootActorPath(Address(node)) / "user" / ReplicaName(ledger));

    /// <summary>Starts <paramref name="ledger"/>'s replica on every node and resolves them from <paramref name="owner"/>: its own first.</summary>
    public async Task<IReadOnlyList<IActorRef>> StartReplicas(string ledger, int owner)
    {
        for (var node = 0; node < Systems.Count; node++)
        {
            StartReplica(node, ledger);
        }

        return await ReplicasSeenBy(owner, ledger);
    }

    /// <summary>Every node's replica of <paramref name="ledger"/> as <paramref name="owner"/> sees them, its own first.</summary>
    public async Task<IReadOnlyList<IActorRef>> ReplicasSeenBy(int owner, string ledger)
    {
        var order = new[] { owner }.Concat(Enumerable.Range(0, Systems.Count).Where(n => n != owner));
        return await Task.WhenAll(order.Select(n => Resolve(owner, n, ledger)));
    }

    /// <summary>Stops node <paramref name="node"/>'s replica of <paramref name="ledger"/> and its log (the lock is free when this returns).</summary>
    public async Task StopReplica(int node, string ledger)
    {
        var replica = await Resolve(node, node, ledger);
        Assert.True(await replica.GracefulStop(Timeout));
    }

    private Address Address(int node) => ((ExtendedActorSystem)Systems[node]).Provider.DefaultAddress;

    private WalOptions LogOptions(int node, string ledger) =>
        WalTestKit.SmallLog(_directory.Combine($"node{node}-{ledger}")) with { ShutdownTimeout = TimeSpan.FromSeconds(5) };

    private static string ReplicaName(string ledger) => "replica-" + ledger;
}
