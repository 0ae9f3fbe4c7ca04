using Akka.Configuration;

namespace WalActors.Cluster.Bench;

/// <summary>
/// The cluster settings of the failover scenario, the same for every journal: entities live on nodes of role
/// <c>host</c>, the driver's node only routes to them (role <c>client</c>); shards never rebalance during a run (so the
/// victim keeps all of them until it is killed); the split-brain resolver downs an unreachable node once the
/// membership has been stable for 5 s (keep-majority: the driver and the surviving host are the majority). Only errors
/// are logged: a kill makes Akka.Remote warn for every association it retries. WALACTORS_BENCH_FAILOVER_HOCON, when
/// set, is put over these settings on every member (the child nodes inherit it), to measure a tuning of Akka's own.
/// </summary>
public static class FailoverSettings
{
    private const string Common = """
        akka.loglevel = ERROR
        akka.remote.log-remote-lifecycle-events = off
        akka.cluster.sharding.rebalance-interval = 3600s
        akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
        akka.cluster.split-brain-resolver {
          active-strategy = keep-majority
          stable-after = 5s
        }
        """;

    private const string OverridesVariable = "WALACTORS_BENCH_FAILOVER_HOCON";

    /// <summary>The HOCON of WALACTORS_BENCH_FAILOVER_HOCON, empty when it is not set.</summary>
    public static string Overrides => Environment.GetEnvironmentVariable(OverridesVariable) ?? "";

    public static Config Host => WithRole("host");

    public static Config Client => WithRole("client");

    // Entities run on role host whatever this member's own role is.
    private static Config WithRole(string role) => ConfigurationFactory.ParseString(Overrides).WithFallback(ConfigurationFactory.ParseString($$"""
        {{Common}}
        akka.cluster.roles = [{{role}}]
        akka.cluster.sharding.role = host
        """));
}
