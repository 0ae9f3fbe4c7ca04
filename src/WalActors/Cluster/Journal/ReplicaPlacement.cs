using Akka.Actor;

namespace WalActors.Cluster.Journal;

/// <summary>Where a shard should run given its ledger's ensemble: the decisions of <see cref="ReplicaAwareAllocationStrategy"/>.</summary>
internal static class ReplicaPlacement
{
    /// <summary>A shard region as the coordinator sees it: its node and how many shards it has.</summary>
    public readonly record struct Region(IActorRef Ref, Address Node, int Shards);

    /// <summary>
    /// The region with the fewest shards among those on <paramref name="ensemble"/>'s nodes, or among all regions when
    /// there is no ensemble or none of its nodes has a region; ties go to the lowest node address, so the choice does
    /// not depend on the order regions are listed in. Null when there is no region at all.
    /// </summary>
    public static IActorRef? Choose(IReadOnlyList<Region> regions, IReadOnlyList<Address>? ensemble)
    {
        var home = ensemble is null ? [] : regions.Where(r => ensemble.Contains(r.Node)).ToList();
        var candidates = home.Count > 0 ? home : regions;
        return candidates.OrderBy(r => r.Shards).ThenBy(r => r.Node.ToString(), StringComparer.Ordinal).Select(r => r.Ref).FirstOrDefault();
    }

    /// <summary>Whether a shard on <paramref name="region"/> is away from its ensemble while a region of the ensemble exists.</summary>
    public static bool IsAway(Region region, IReadOnlyList<Region> regions, IReadOnlyList<Address> ensemble) =>
        !ensemble.Contains(region.Node) && regions.Any(r => ensemble.Contains(r.Node));
}
