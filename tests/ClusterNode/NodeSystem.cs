namespace WalActors.ClusterNode;

/// <summary>The names every node of the suite's cluster shares.</summary>
internal static class NodeSystem
{
    /// <summary>The actor system's name (the same on every node, as Akka.Cluster requires).</summary>
    public const string Name = "walcluster";

    /// <summary>The addresses' protocol: Akka.Remote's TCP transport under the throttler adapter.</summary>
    public const string Protocol = "akka.trttl.tcp";

    /// <summary>The sharded entity type.</summary>
    public const string EntityType = "entity";
}
