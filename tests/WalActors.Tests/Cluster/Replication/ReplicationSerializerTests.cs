using Akka.Actor;
using WalActors.Cluster.Replication;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>Every replication message is bound to the protocol's own serializer and survives a round trip.</summary>
public sealed class ReplicationSerializerTests(ReplicationNodes nodes) : IClassFixture<ReplicationNodes>
{
    public static TheoryData<object> Messages() =>
    [
        new ReplicateBatch("l", 3, 7, [new LedgerEntry(2, [1, 2, 3]), new LedgerEntry(3, [])], 5),
        new Replicated("l", 3, 9),
        new Behind("l", 3, 4),
        new Fence("l", 3),
        new Fenced("l", 3, 9, [new EpochStart(1, 0), new EpochStart(3, 6)]),
        new ReadRange("l", 4, 256),
        new ReadRange("l", 4, 256, CommittedOnly: true),
        new RangeRead("l", 4, [new LedgerEntry(1, [9])], 5, 3),
        new Commit("l", 3, 11),
        new Refused("l", 8, "batch of stale epoch 3"),
        new EnsureReplica("counter+7"),
    ];

    [Fact]
    public async Task A_replica_ready_answer_round_trips_to_the_same_actor_reference()
    {
        var system = nodes.Systems[0];
        var replica = system.ActorOf(Props.Empty, "ready-round-trip");
        var message = new ReplicaReady("counter+7", replica);
        var serializer = Assert.IsType<ReplicationSerializer>(system.Serialization.FindSerializerFor(message));

        var back = Assert.IsType<ReplicaReady>(system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, serializer.Manifest(message)));

        Assert.Equal("counter+7", back.Ledger);
        Assert.Equal(replica, back.Replica);
        Assert.Equal(replica.Path.Uid, back.Replica.Path.Uid);
        await replica.GracefulStop(ReplicationNodes.Timeout);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_round_trips_through_the_replication_serializer(object message)
    {
        var serialization = nodes.Systems[0].Serialization;
        var serializer = Assert.IsType<ReplicationSerializer>(serialization.FindSerializerFor(message));
        var bytes = serializer.ToBinary(message);
        var back = serialization.Deserialize(bytes, serializer.Identifier, serializer.Manifest(message));

        Assert.Equal(Describe(message), Describe(back));
    }

    // Records holding lists compare by reference: compare what they print, with the lists spelled out.
    private static string Describe(object message) => message switch
    {
        ReplicateBatch m => $"{m with { Entries = [] }} {Entries(m.Entries)}",
        Fenced m => $"{m with { History = [] }} {string.Join(";", m.History)}",
        RangeRead m => $"{m with { Entries = [] }} {Entries(m.Entries)}",
        _ => message.ToString()!,
    };

    private static string Entries(IEnumerable<LedgerEntry> entries) => string.Join(";", entries.Select(e => $"{e.Epoch}:{Convert.ToHexString(e.Payload)}"));
}
