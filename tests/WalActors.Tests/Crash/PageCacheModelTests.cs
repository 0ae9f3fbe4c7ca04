namespace WalActors.Tests.Crash;

/// <summary>The crash simulation must itself be right: durable what a barrier covered, and every tear and reordering possible for the rest.</summary>
public sealed class PageCacheModelTests
{
    private const int Draws = 400;

    [Fact]
    public void A_write_covered_by_a_returned_barrier_survives_every_power_loss()
    {
        var model = new PageCacheModel([]);
        model.Apply(Write(0, Bytes(1, 3000)));
        Barrier(model, 1);
        model.Apply(Write(3000, Bytes(2, 3000)));

        var random = new Random(1);
        for (var i = 0; i < Draws; i++)
        {
            Assert.Equal(Bytes(1, 3000), model.PowerLoss(random).Bytes.AsSpan(0, 3000).ToArray());
        }
    }

    [Fact]
    public void A_barrier_covers_only_the_writes_completed_before_it_began_and_only_once_it_returns()
    {
        var model = new PageCacheModel([]);
        model.Apply(Write(0, Bytes(1, 100)));
        model.Apply(new StoreEvent(StoreEventKind.BarrierBegan, Barrier: 1));
        model.Apply(Write(100, Bytes(2, 100)));

        Assert.Equal(2, model.Pending.Count);
        model.Apply(new StoreEvent(StoreEventKind.BarrierEnded, Barrier: 1));

        Assert.Equal(100, Assert.Single(model.Pending).Offset);
    }

    [Fact]
    public void Power_losses_keep_lose_tear_and_reorder_unsynced_writes()
    {
        var first = Bytes(1, 2048);
        var second = Bytes(2, 2048);
        var model = new PageCacheModel([]);
        model.Apply(Write(0, first));
        model.Apply(Write(2048, second));

        var random = new Random(2);
        var images = Enumerable.Range(0, Draws).Select(_ => model.PowerLoss(random).Bytes).ToList();

        Assert.Contains(images, i => Holds(i, 0, first) && Holds(i, 2048, second));
        Assert.Contains(images, i => i.AsSpan().IndexOfAnyExcept((byte)0) < 0);
        Assert.Contains(images, i => Zeros(i, 0, 2048) && Holds(i, 2048, second)); // the later write alone survived
        Assert.Contains(images, i => Zeros(i, 0, 512) && Holds(i, 512, first.AsSpan(512, 512))); // a later sector alone
        Assert.Contains(images, i => TornInsideASector(i, 0, first) || TornInsideASector(i, 2048, second));
        Assert.Contains(images, i => i.Length == 4096 && Zeros(i, 2048, 2048)); // the size grew, the data did not land
    }

    [Fact]
    public void A_process_crash_keeps_every_completed_write()
    {
        var model = new PageCacheModel(Bytes(9, 10));
        model.Apply(Write(10, Bytes(1, 700)));
        model.Apply(Write(900, Bytes(2, 50)));

        var image = model.ProcessCrash();

        Assert.False(image.IsPowerLoss);
        Assert.Equal(950, image.Bytes.Length);
        Assert.True(Holds(image.Bytes, 0, Bytes(9, 10)) && Holds(image.Bytes, 10, Bytes(1, 700)) && Holds(image.Bytes, 900, Bytes(2, 50)));
    }

    [Fact]
    public void A_truncation_is_durable_and_nothing_it_cut_comes_back()
    {
        var model = new PageCacheModel(Bytes(1, 1000));
        model.Apply(Write(800, Bytes(2, 400)));
        model.Apply(new StoreEvent(StoreEventKind.Truncate, 600));

        var random = new Random(3);
        for (var i = 0; i < Draws; i++)
        {
            var image = model.PowerLoss(random).Bytes;
            Assert.True(image.Length <= 600, $"{image.Length} bytes survived a truncation to 600");
            Assert.True(Holds(image, 0, Bytes(1, 600)));
        }
    }

    [Fact]
    public void The_power_goes_off_at_the_chosen_operation_and_every_later_one_fails_unrecorded()
    {
        var store = new PowerLossStore([], powerOffAt: 3);
        store.WriteAt(0, [1, 2, 3]);

        // Operations 2 and 3: the barrier begins, then the power goes off before it returns.
        Assert.Throws<WalIOException>(store.Sync);
        Assert.Throws<WalIOException>(() => store.WriteAt(3, [4]));

        Assert.True(store.WentOffAtChosenOperation);
        Assert.Equal([StoreEventKind.Write, StoreEventKind.BarrierBegan], store.Events.Select(e => e.Kind));
    }

    /// <summary>Whether the image holds a prefix of the write that ends inside a sector, and nothing of it after that.</summary>
    private static bool TornInsideASector(byte[] image, int offset, byte[] write)
    {
        var kept = image.Length <= offset ? 0 : Math.Min(image.Length - offset, write.Length);
        var prefix = 0;
        while (prefix < kept && image[offset + prefix] == write[prefix])
        {
            prefix++;
        }

        return prefix > 0 && prefix % PageCacheModel.SectorSize != 0 && Zeros(image, offset + prefix, write.Length - prefix);
    }

    private static bool Holds(byte[] image, int offset, ReadOnlySpan<byte> bytes) =>
        image.Length >= offset + bytes.Length && image.AsSpan(offset, bytes.Length).SequenceEqual(bytes);

    private static bool Zeros(byte[] image, int offset, int count) =>
        image.Length <= offset || image.AsSpan(offset, Math.Min(count, image.Length - offset)).IndexOfAnyExcept((byte)0) < 0;

    private static StoreEvent Write(long offset, byte[] bytes) => new(StoreEventKind.Write, offset, bytes);

    private static void Barrier(PageCacheModel model, long barrier)
    {
        model.Apply(new StoreEvent(StoreEventKind.BarrierBegan, Barrier: barrier));
        model.Apply(new StoreEvent(StoreEventKind.BarrierEnded, Barrier: barrier));
    }

    /// <summary>Non-zero bytes that start with <paramref name="marker"/>, so a write can be told from zeros and from another write.</summary>
    private static byte[] Bytes(byte marker, int count)
    {
        var bytes = new byte[count];
        new Random(marker).NextBytes(bytes);
        bytes.AsSpan().Replace((byte)0, (byte)7);
        bytes[0] = marker;
        return bytes;
    }
}
