using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Tests.Support;

namespace WalActors.Tests.Actors;

public sealed class WrittenPrefixTests
{
    [Fact]
    public void Batches_written_out_of_order_join_the_prefix_only_once_the_gap_before_them_is_written()
    {
        var prefix = new WrittenPrefix(100);
        var joined = new List<WriteBatch>();

        prefix.Add(Batch(300, 50), joined);
        prefix.Add(Batch(200, 100), joined);
        Assert.Empty(joined);
        Assert.Equal(100, prefix.End);
        Assert.Equal(2, prefix.HeldCount);

        prefix.Add(Batch(100, 100), joined);

        Assert.Equal([100L, 200, 300], joined.Select(b => b.Start));
        Assert.Equal(350, prefix.End);
        Assert.Equal(0, prefix.HeldCount);
    }

    [Fact]
    public void A_batch_at_the_end_joins_at_once_and_the_ones_beyond_a_gap_stay_held()
    {
        var prefix = new WrittenPrefix(0);
        var joined = new List<WriteBatch>();

        prefix.Add(Batch(0, 10), joined);
        prefix.Add(Batch(20, 10), joined);

        Assert.Equal([0L], joined.Select(b => b.Start));
        Assert.Equal(10, prefix.End);
        Assert.Equal(1, prefix.HeldCount);
    }

    [Fact]
    public void A_fault_takes_every_held_batch_and_the_end_stays_where_the_prefix_was()
    {
        var prefix = new WrittenPrefix(0);
        var joined = new List<WriteBatch>();
        prefix.Add(Batch(40, 8), joined);
        prefix.Add(Batch(16, 8), joined);

        var held = prefix.TakeHeld();

        Assert.Equal([16L, 40], held.Select(b => b.Start));
        Assert.Equal(0, prefix.HeldCount);
        Assert.Equal(0, prefix.End);
    }

    [Fact]
    public void Closing_moves_the_end_past_the_close_marker()
    {
        var prefix = new WrittenPrefix(64);

        prefix.CloseAt(80);

        Assert.Equal(80, prefix.End);
    }

#if DEBUG
    [Fact]
    public void In_debug_builds_a_batch_overlapping_what_is_written_or_held_is_an_assertion_failure()
    {
        var prefix = new WrittenPrefix(100);
        var joined = new List<WriteBatch>();
        prefix.Add(Batch(200, 50), joined);

        using (new FailingAsserts())
        {
            Assert.Throws<FailingAsserts.AssertionFailedException>(() => prefix.Add(Batch(50, 10), joined)); // inside the prefix
            Assert.Throws<FailingAsserts.AssertionFailedException>(() => prefix.Add(Batch(220, 10), joined)); // inside a held batch
        }
    }
#endif

    private static WriteBatch Batch(long start, int bytes)
    {
        var batch = new WriteBatch();
        batch.Add(new PendingAppend(new Append(new byte[1]), ActorRefs.Nobody, bytes));
        batch.Place(start);
        return batch;
    }
}
