using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Replication;
using WalActors.Persistence;
using AkkaCluster = Akka.Cluster.Cluster;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// Nodes of one cluster in this process (each an actor system on 127.0.0.1, Akka.Remote on a port the OS picks) with
/// Cluster.Sharding's use-lease on the etcd lease and the cluster journal as the default journal, each node's ledgers
/// in a directory of its own. Terminating a node is abrupt: it does not leave the cluster; the test downs it, as a
/// split-brain resolver would.
/// </summary>
public sealed class JournalCluster : IAsyncDisposable
{
    public const int Shards = 10;

    /// <summary>The snapshot store's limit on these nodes: small, so that a test can pass it cheaply.</summary>
    public const int MaxSnapshotSize = 1024 * 1024;

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("walactors-cluster-journal-").FullName;
    private readonly string _endpoint;
    private readonly string _keyPrefix = $"tests/{Guid.NewGuid():N}/";
    private readonly int _replicas;
    private readonly int _writeQuorum;
    private readonly List<ActorSystem?> _systems = [];
    private readonly List<IActorRef> _regions = [];

    private readonly bool _replicaAware;
    private readonly string _extraConfig;

    private JournalCluster(string endpoint, int replicas, int writeQuorum, bool replicaAware, string extraConfig)
    {
        _endpoint = endpoint;
        _replicas = replicas;
        _writeQuorum = writeQuorum;
        _replicaAware = replicaAware;
        _extraConfig = extraConfig;
    }

    public string KeyPrefix => _keyPrefix;

    /// <summary>Starts <paramref name="nodes"/> nodes, joins them into one cluster and starts the counter type's region on each.</summary>
    /// <param name="replicaAware">Shards placed by <see cref="ReplicaAwareAllocationStrategy"/> rather than Sharding's default.</param>
    /// <param name="extraConfig">HOCON every node takes over the rest of its configuration.</param>
    public static async Task<JournalCluster> StartAsync(string etcdEndpoint, int nodes, int replicas, int writeQuorum, bool replicaAware = false, string extraConfig = "")
    {
        var cluster = new JournalCluster(etcdEndpoint, replicas, writeQuorum, replicaAware, extraConfig);
        for (var i = 0; i < nodes; i++)
        {
            await cluster.StartNodeAsync();
        }

        return cluster;
    }

    /// <summary>Starts one more node (a directory of its own, as a new machine would have) and joins it.</summary>
    public async Task<int> StartNodeAsync()
    {
        var index = _systems.Count;
        var system = ActorSystem.Create("journal-cluster", NodeConfig(index));
        var cluster = AkkaCluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        var seed = _systems.FirstOrDefault(s => s is not null);
        await cluster.JoinAsync(seed is null ? cluster.SelfAddress : AkkaCluster.Get(seed).SelfAddress);
        await up.Task.WaitAsync(Patience);
        var sharding = ClusterSharding.Get(system); // first: it adds the singleton's defaults the settings read
        var settings = ClusterShardingSettings.Create(system);
        var extractor = HashCodeMessageExtractor.Create(Shards, m => ((string)m).Split(':')[0], m => m);
        Func<string, Props> entity = entityId => Props.Create(() => new CounterEntity(CounterEntity.PersistenceIdOf(entityId)));
        var region = _replicaAware
            ? await sharding.StartAsync(CounterEntity.TypeName, entity, settings, extractor, new ReplicaAwareAllocationStrategy(CounterEntity.TypeName), PoisonPill.Instance)
            : await sharding.StartAsync(CounterEntity.TypeName, entity, settings, extractor);
        _systems.Add(system);
        _regions.Add(region);
        await WaitForUpMembersAsync();
        return index;
    }

    public ActorSystem System(int node) => _systems[node] ?? throw new InvalidOperationException($"node {node} was terminated");

    public IEnumerable<int> Running => Enumerable.Range(0, _systems.Count).Where(i => _systems[i] is not null);

    /// <summary>Sends <paramref name="command"/> through node <paramref name="via"/>'s region and waits for the entity's answer.</summary>
    public Task<string> AskAsync(int via, string command) => _regions[via].Ask<string>(command, Patience);

    /// <summary>
    /// Sends an idempotent <paramref name="command"/> (a read) again every few seconds until the entity answers: right
    /// after a node loss a region may still route to the dead node's region, and Akka.Remote delivers at most once.
    /// </summary>
    public async Task<string> AskUntilAnsweredAsync(int via, string command)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await _regions[via].Ask<string>(command, TimeSpan.FromSeconds(5));
            }
            catch (AskTimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    /// <summary>The node whose address the answer <paramref name="answer"/> names (what follows its first '@').</summary>
    public int NodeOf(string answer)
    {
        var address = answer[(answer.IndexOf('@', StringComparison.Ordinal) + 1)..];
        return Running.Single(i => AkkaCluster.Get(System(i)).SelfAddress.ToString() == address);
    }

    /// <summary>Terminates node <paramref name="node"/> without leaving the cluster, then downs it from another node.</summary>
    public async Task KillAsync(int node)
    {
        var victim = System(node);
        var address = AkkaCluster.Get(victim).SelfAddress;
        _systems[node] = null;
        await victim.Terminate();
        var survivor = System(Running.First());
        AkkaCluster.Get(survivor).Down(address);
        await WaitForUpMembersAsync();
    }

    /// <summary>The events (persistence id, sequence number, payload as text) durable in node <paramref name="node"/>'s copy of <paramref name="ledger"/>.</summary>
    public async Task<IReadOnlyList<(string PersistenceId, long SequenceNr)>> EventsInCopyAsync(int node, string ledger)
    {
        var system = System(node);
        var replica = (await LedgerReplicas.Get(system).Host.Ask<ReplicaReady>(new EnsureReplica(ledger), Patience)).Replica;
        var events = new List<(string, long)>();
        for (var from = 0L; ;)
        {
            var read = await replica.Ask<RangeRead>(new ReadRange(ledger, from, 256), Patience);
            if (read.Entries.Count == 0)
            {
                return events;
            }

            foreach (var entry in read.Entries)
            {
                foreach (var record in LedgerEntryCodec.Decode(entry.Payload))
                {
                    if (!LedgerSnapshotCodec.IsSnapshotRecord(record.Span) && JournalRecordCodec.KindOf(record.Span) == JournalRecordKind.Event)
                    {
                        var stored = JournalRecordCodec.DecodeEvent(record);
                        events.Add((stored.PersistenceId, stored.SequenceNr));
                    }
                }
            }

            from += read.Entries.Count;
        }
    }

    /// <summary>The ledger entity <paramref name="entityId"/>'s events go to under the default mapping.</summary>
    public static string LedgerOf(string entityId) => new ShardLocation(CounterEntity.TypeName, DefaultShardMapping.ShardOf(entityId, Shards)).LedgerId;

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Running.Select(i => System(i).Terminate()));
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A log still closing holds a file; the temp directory is the OS's to clean then.
        }
    }

    private async Task WaitForUpMembersAsync()
    {
        var running = Running.ToList();
        var deadline = DateTime.UtcNow + Patience;
        while (!running.All(i => AkkaCluster.Get(System(i)).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == running.Count))
        {
            Assert.True(DateTime.UtcNow < deadline, "the cluster's members did not all become Up in time");
            await Task.Delay(50);
        }
    }

    private Config NodeConfig(int index) => ConfigurationFactory.ParseString(_extraConfig).WithFallback(ConfigurationFactory.ParseString($$"""
        akka.loglevel = {{(Environment.GetEnvironmentVariable("CJ_LOGLEVEL") ?? "WARNING")}}
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.cluster.downing-provider-class = ""
        akka.cluster.sharding.use-lease = "{{WalCluster.LeaseConfigPath}}"
        akka.cluster.sharding.lease-retry-interval = 200ms
        akka.cluster.sharding.state-store-mode = ddata
        akka.persistence.journal.plugin = "walactors.cluster.journal"
        akka.persistence.snapshot-store.plugin = "walactors.cluster.snapshot-store"
        walactors.cluster.snapshot-store.max-snapshot-size = {{MaxSnapshotSize}}
        akka.extensions = ["WalActors.Cluster.Journal.LedgerReplicasProvider, WalActors"]
        walactors.cluster.journal {
          directory = "{{Path.Combine(_directory, $"node{index}").Replace("\\", "/", StringComparison.Ordinal)}}"
          replicas = {{_replicas}}
          write-quorum = {{_writeQuorum}}
          timeout = 5s
          number-of-shards = {{Shards}}
        }
        walactors.cluster.lease {
          endpoints = ["{{_endpoint}}"]
          key-prefix = "{{_keyPrefix}}"
          heartbeat-timeout = 2s
          heartbeat-interval = 200ms
          lease-operation-timeout = 2s
        }
        """))
        .WithFallback(WalClusterJournal.DefaultConfig())
        .WithFallback(ClusterSharding.DefaultConfig())
        .WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());
}
