namespace WalActors.ClusterNode;

/// <summary>The names every node of the suite's cluster shares.</summary>
internal static class NodeSystem
{
    /// <summary>The actor system's name (the same on every node, as Akka.Cluster requires).</summary>
    public const string Name = "walcluster";

    /// <summary>
    /// Whether the node runs Akka.Remote under the throttler adapter, so that a test can blackhole it: only for the
    /// partition suite (WALACTORS_CLUSTER_PARTITIONS=1, inherited from the test process). The kill and freeze suites
    /// stalled on a restarted node's rejoin twice in CI once every node ran it, so they run on the plain transport.
    /// </summary>
    public static bool Throttled { get; } = Environment.GetEnvironmentVariable("WALACTORS_CLUSTER_PARTITIONS") == "1";

    /// <summary>The addresses' protocol: Akka.Remote's TCP transport, under the throttler adapter when <see cref="Throttled"/>.</summary>
    public static string Protocol => Throttled ? "akka.trttl.tcp" : "akka.tcp";

    /// <summary>The sharded entity type.</summary>
    public const string EntityType = "entity";
}
