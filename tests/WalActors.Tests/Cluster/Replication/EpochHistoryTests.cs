using WalActors.Cluster.Replication;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>Where copies part, from their epochs; and which copy recovery takes.</summary>
public sealed class EpochHistoryTests
{
    private static readonly EpochStart[] Reference = [new(1, 0), new(3, 10), new(4, 15)];

    [Theory]
    [InlineData(0, -1, 0)] // an empty copy takes everything
    [InlineData(12, 1, 10)] // epoch 1 ran to 10 in the reference: the copy's 10, 11 were never kept
    [InlineData(8, 1, 8)] // a shorter copy of epoch 1 agrees up to its end
    [InlineData(14, 2, 10)] // an epoch the reference never kept ends where the next kept one starts
    [InlineData(20, 4, 18)] // never past the reference's end
    [InlineData(16, 4, 16)]
    public void A_copy_parts_from_the_reference_where_its_last_epoch_ends_there(long end, long lastEpoch, long expected) =>
        Assert.Equal(expected, EpochHistory.Divergence(Reference, 18, end, lastEpoch));

    [Fact]
    public void Recovery_takes_the_later_last_epoch_before_the_longer_copy()
    {
        Assert.True(EpochHistory.IsAhead(6, [new(1, 0), new(2, 5)], 9, [new(1, 0)]));
        Assert.False(EpochHistory.IsAhead(5, [new(1, 0)], 6, [new(1, 0)]));
    }
}
