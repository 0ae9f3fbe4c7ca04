using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.DistributedData;
using WalActors.Cluster;
using WalActors.Cluster.Journal;
using WalActors.Persistence;

namespace WalActors.ClusterNode;

/// <summary>
/// The node's configuration: a cluster on 127.0.0.1, over Akka.Remote's throttler adapter for the partition suite (so a
/// test can blackhole the node from the others, <see cref="RemoteBlackhole"/>; <see cref="NodeSystem.Throttled"/>), keep-majority split-brain resolution that downs an unreachable
/// node a few seconds after the cluster settles, sharding that starts a shard only while it holds the shard's etcd
/// lease, and the journal the arguments name. WALACTORS_NODE_HOCON, when set, is put over all of it.
/// </summary>
internal static class NodeConfig
{
    public static Config Build(NodeArguments arguments)
    {
        var seeds = string.Join(", ", arguments.SeedPorts.Select(port => $"\"{NodeSystem.Protocol}://{NodeSystem.Name}@127.0.0.1:{port}\""));
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              actor.provider = cluster
              # The throttler passes everything until told otherwise; it adds "trttl" to every address's protocol.
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{arguments.Port}}, applied-adapters = [{{(NodeSystem.Throttled ? "trttl" : "")}}] }
              cluster {
                seed-nodes = [{{seeds}}]
                # Short enough that a test's failover takes seconds, long enough for a loaded 2-core machine not to
                # take a busy node for a dead one.
                failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 5s }
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver { active-strategy = keep-majority, stable-after = 3s }
                sharding {
                  use-lease = "{{WalCluster.LeaseConfigPath}}"
                  lease-retry-interval = 200ms
                  remember-entities = off
                  # A rebalance in flight when its shard's owner is cut off or killed waits this long for a hand-off
                  # that never comes, with the shard's messages buffered: at Akka's 60 s it made one round in three
                  # of the partition suite serve again after ~67 s instead of ~20 s (coordinator log: "Current shards
                  # rebalancing: [0]" for a minute after the owner was removed).
                  handoff-timeout = 10s
                  # Sharding's own state belongs to no shard, so it cannot live in a shard's ledger.
                  state-store-mode = ddata
                }
              }
              persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            }
            walactors.cluster.lease {
              endpoints = [{{Quoted(arguments.EtcdEndpoint)}}]
              key-prefix = {{Quoted(arguments.KeyPrefix)}}
              heartbeat-timeout = 2s
              heartbeat-interval = 200ms
              lease-operation-timeout = 2s
            }
            """).WithFallback(JournalConfig(arguments));
        var overrides = Environment.GetEnvironmentVariable("WALACTORS_NODE_HOCON");
        if (!string.IsNullOrEmpty(overrides))
        {
            config = ConfigurationFactory.ParseString(overrides).WithFallback(config);
        }

        return config
            .WithFallback(WalClusterJournal.DefaultConfig())
            .WithFallback(WalPersistence.DefaultConfig())
            .WithFallback(WalConfig.Defaults)
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(DistributedData.DefaultConfig());
    }

    /// <summary>
    /// The node-local journal (a moved entity finds none of its history: the suites' proof that the checker can
    /// fail), or the journal on replicated ledgers: three copies of each shard's ledger, acknowledged on two.
    /// </summary>
    private static Config JournalConfig(NodeArguments arguments) => ConfigurationFactory.ParseString(arguments.Journal == NodeArguments.ClusterJournal
        ? $$"""
            akka.persistence.journal.plugin = "walactors.cluster.journal"
            # Every node keeps ledger copies, also of shards it does not host.
            akka.extensions = ["WalActors.Cluster.Journal.LedgerReplicasProvider, WalActors"]
            walactors.cluster.journal {
              directory = {{Quoted(Path.Combine(arguments.Directory, "ledgers"))}}
              replicas = 3
              write-quorum = 2
              number-of-shards = {{arguments.Shards}}
            }
            """
        : $$"""
            akka.persistence.journal.plugin = "walactors.persistence.journal"
            walactors.persistence.journal.directory = {{Quoted(Path.Combine(arguments.Directory, "journal"))}}
            """);

    private static string Quoted(string text) => $"\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
