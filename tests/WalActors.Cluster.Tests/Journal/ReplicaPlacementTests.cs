using Akka.Actor;
using WalActors.Cluster.Journal;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>Where the replica-aware allocation strategy puts a shard, and which shards it hands back.</summary>
public sealed class ReplicaPlacementTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("placement");

    private static readonly Address A = Address.Parse("akka.tcp://sys@127.0.0.1:4001");
    private static readonly Address B = Address.Parse("akka.tcp://sys@127.0.0.1:4002");
    private static readonly Address C = Address.Parse("akka.tcp://sys@127.0.0.1:4003");
    private static readonly Address D = Address.Parse("akka.tcp://sys@127.0.0.1:4004");

    [Fact]
    public void A_shard_goes_to_the_least_loaded_region_of_its_ensemble_even_when_a_node_outside_has_fewer_shards()
    {
        var (a, b, c, d) = (Region(A, 5), Region(B, 3), Region(C, 9), Region(D, 0));

        Assert.Equal(b.Ref, ReplicaPlacement.Choose([a, b, c, d], [A, B, C]));
        Assert.Equal(a.Ref, ReplicaPlacement.Choose([d, c, a], [A, B, C]));
    }

    [Fact]
    public void Without_an_ensemble_or_any_of_its_nodes_the_least_loaded_region_wins_and_ties_go_to_the_lowest_address()
    {
        var (a, b, d) = (Region(A, 2), Region(B, 2), Region(D, 7));

        Assert.Equal(a.Ref, ReplicaPlacement.Choose([b, d, a], null));
        Assert.Equal(a.Ref, ReplicaPlacement.Choose([b, a], [C]));
        Assert.Null(ReplicaPlacement.Choose([], [A]));
    }

    [Fact]
    public void A_shard_off_its_ensemble_is_handed_back_only_when_a_region_of_the_ensemble_exists()
    {
        var (a, d) = (Region(A, 1), Region(D, 1));

        Assert.True(ReplicaPlacement.IsAway(d, [a, d], [A, B, C]));
        Assert.False(ReplicaPlacement.IsAway(a, [a, d], [A, B, C]));
        Assert.False(ReplicaPlacement.IsAway(d, [d], [A, B, C]));
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private ReplicaPlacement.Region Region(Address node, int shards) => new(_system.ActorOf(Props.Empty), node, shards);
}
