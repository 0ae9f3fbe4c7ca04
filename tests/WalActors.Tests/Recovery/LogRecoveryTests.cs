using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Recovery;

public sealed class LogRecoveryTests : IDisposable
{
    private static readonly RecoveryOptions Options = new(TestLog.MaxRecordSize, InFlightWindow: 4096);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void An_empty_store_recovers_to_an_empty_log_at_lsn_zero()
    {
        var report = LogRecovery.Recover(new MemStore(), Options, "mem");
        Assert.Equal(new RecoveryReport(0, 0, 0, null, 0, null, report.Duration), report);
    }

    [Fact]
    public void A_clean_log_recovers_every_record_and_reports_a_clean_end()
    {
        var store = new MemStore();
        var records = TestLog.AppendMany(store, 50);
        var end = store.Length;

        var report = LogRecovery.Recover(store, Options, "mem");

        Assert.Equal(50, report.RecordCount);
        Assert.Equal(end, report.End);
        Assert.False(report.HadTornTail);
        Assert.Equal(records.Select(r => r.Payload), TestLog.ReadAll(store).Select(r => r.Payload));
    }

    [Fact]
    public void A_tail_torn_at_every_byte_of_the_last_record_recovers_every_earlier_record()
    {
        var source = new MemStore();
        var records = TestLog.AppendMany(source, 20);
        var image = source.ToArray();
        var last = records[^1].Lsn;

        for (var cut = last; cut < image.Length; cut++)
        {
            foreach (var zeroFilled in new[] { false, true })
            {
                // Either the store ends at the cut (a growing file) or it runs on in zeros (a preallocated one).
                var torn = zeroFilled ? image.ToArray() : image[..(int)cut];
                torn.AsSpan((int)Math.Min(cut, torn.Length)).Clear();
                var store = new MemStore(torn);

                var report = LogRecovery.Recover(store, Options, "mem");

                // Cutting away only the zero padding with zeros leaves the very same frame: it is whole.
                if (zeroFilled && image.AsSpan((int)cut).IndexOfAnyExcept((byte)0) < 0)
                {
                    Assert.Equal(20, report.RecordCount);
                    continue;
                }

                Assert.Equal(19, report.RecordCount);
                Assert.Equal(last, report.End);
                Assert.Equal(last, store.Length);
                Assert.Equal(records.Take(19).Select(r => r.Payload), TestLog.ReadAll(store).Select(r => r.Payload));
                Assert.Equal(cut > last, report.HadTornTail);
            }
        }
    }

    [Fact]
    public void A_zero_filled_hole_within_the_in_flight_window_is_truncated_as_a_torn_tail()
    {
        // Writer two finished, writer one did not: a hole, then valid records, all within the window.
        var store = new MemStore();
        var records = TestLog.AppendMany(store, 10, maxLength: 100);
        var hole = records[4];
        store.WriteAt(hole.Lsn, new byte[FrameCodec.FrameSize(hole.Payload.Length)]);

        var report = LogRecovery.Recover(store, Options, "mem");

        Assert.Equal(4, report.RecordCount);
        Assert.Equal(hole.Lsn, report.End);
        Assert.Equal(hole.Lsn, report.TruncatedAt);
        Assert.True(report.DroppedBytes > 0);
        Assert.Equal(hole.Lsn, store.Length);
    }

    [Fact]
    public void Recovering_twice_gives_the_same_log()
    {
        var store = new MemStore();
        TestLog.AppendMany(store, 30);
        store.WriteAt(store.Length, [(byte)'W', (byte)'A', 1, 1, 200, 0, 0, 0, 9, 9]);

        var first = LogRecovery.Recover(store, Options, "mem");
        var afterFirst = store.ToArray();
        var second = LogRecovery.Recover(store, Options, "mem");

        Assert.True(first.HadTornTail);
        Assert.False(second.HadTornTail);
        Assert.Equal(first.End, second.End);
        Assert.Equal(first.RecordCount, second.RecordCount);
        Assert.Equal(afterFirst, store.ToArray());
    }

    [Fact]
    public void Damage_beyond_the_in_flight_window_is_refused_by_name_and_nothing_is_modified()
    {
        var store = new MemStore();
        var records = TestLog.AppendMany(store, 200, maxLength: 200);
        var damaged = records[10];
        store.WriteAt(damaged.Lsn + FrameCodec.HeaderSize, [0xFF]);
        var before = store.ToArray();

        var error = Assert.Throws<LogDamagedException>(() => LogRecovery.Recover(store, Options, "mem"));

        Assert.Equal(damaged.Lsn, error.Lsn);
        Assert.Contains("checksum", error.Detail);
        Assert.Equal(before, store.ToArray());
    }

    [Fact]
    public void Salvage_keeps_the_valid_prefix_before_damage_and_reports_it()
    {
        var store = new MemStore();
        var records = TestLog.AppendMany(store, 200, maxLength: 200);
        var damaged = records[10];
        store.WriteAt(damaged.Lsn + 1, [0x00]);

        var report = LogRecovery.Recover(store, Options with { Policy = RecoveryPolicy.Salvage }, "mem");

        Assert.Equal(damaged.Lsn, report.SalvagedDamageAt);
        Assert.Equal(10, report.RecordCount);
        Assert.Equal(damaged.Lsn, store.Length);
        Assert.Equal(records.Take(10).Select(r => r.Payload), TestLog.ReadAll(store).Select(r => r.Payload));
    }

    [Fact]
    public void An_atomic_batch_cut_before_its_last_record_is_dropped_whole()
    {
        var store = new MemStore();
        var lsn = TestLog.Append(store, 0, [1, 2, 3]);
        var batchStart = lsn;
        var batch = Enumerable.Range(0, 5).Select(i => TestLog.Payload(i, 40)).ToList();
        var end = TestLog.AppendBatch(store, lsn, batch);
        var image = store.ToArray();

        for (var cut = batchStart + 1; cut < end; cut++)
        {
            var torn = new MemStore(image.AsSpan(0, (int)cut));
            var report = LogRecovery.Recover(torn, Options, "mem");
            Assert.Equal(1, report.RecordCount);
            Assert.Equal(batchStart, report.End);
        }

        var whole = new MemStore(image);
        Assert.Equal(6, LogRecovery.Recover(whole, Options, "mem").RecordCount);
    }

    [Fact]
    public void A_file_that_is_not_a_log_is_refused_and_left_untouched()
    {
        var path = _directory.Combine("report.txt");
        File.WriteAllText(path, "Quarterly figures, please do not delete.");

        using (var store = FileStore.Open(path))
        {
            Assert.Throws<NotAWalLogException>(() => LogRecovery.Recover(store, Options, path));
        }

        Assert.Equal("Quarterly figures, please do not delete.", File.ReadAllText(path));
    }

    [Fact]
    public void A_log_with_a_record_from_a_newer_format_is_refused_and_left_untouched()
    {
        var store = new MemStore();
        TestLog.AppendMany(store, 5);
        var lsn = store.Length;
        TestLog.Append(store, lsn, [1, 2, 3]);
        store.WriteAt(lsn + 2, [FrameCodec.CurrentVersion + 1]);
        var before = store.ToArray();

        var error = Assert.Throws<UnsupportedLogFormatException>(() => LogRecovery.Recover(store, Options, "mem"));

        Assert.Equal(FrameCodec.CurrentVersion + 1, error.FoundVersion);
        Assert.Equal(before, store.ToArray());
    }

    [Fact]
    public void A_segmented_log_ending_in_preallocated_zeros_has_a_clean_end_and_accepts_appends_after_it()
    {
        var path = _directory.Combine("log");
        var options = new SegmentedStoreOptions { SegmentSize = 8192 };
        List<(long Lsn, byte[] Payload)> records;
        using (var store = SegmentedStore.Open(path, options))
        {
            records = TestLog.AppendMany(store, 40);
            store.Sync();
        }

        using (var store = SegmentedStore.Open(path, options))
        {
            var report = LogRecovery.Recover(store, Options, path);
            Assert.False(report.HadTornTail);
            Assert.Equal(40, report.RecordCount);
            Assert.Equal(report.End, store.Length);
            TestLog.Append(store, report.End, [42]);
            store.Sync();
        }

        using (var store = SegmentedStore.Open(path, options))
        {
            var report = LogRecovery.Recover(store, Options, path);
            Assert.Equal(41, report.RecordCount);
            Assert.Equal(records.Select(r => r.Payload).Append([42]), TestLog.ReadAll(store).Select(r => r.Payload));
        }
    }

    [Fact]
    public void A_torn_tail_in_a_segmented_log_is_zeroed_on_disk_so_it_cannot_return()
    {
        var path = _directory.Combine("log");
        var options = new SegmentedStoreOptions { SegmentSize = 8192 };
        long end;
        using (var store = SegmentedStore.Open(path, options))
        {
            end = TestLog.AppendMany(store, 10).Count > 0 ? store.Length : 0;
            store.WriteAt(end, [(byte)'W', (byte)'A', 1, 1, 50, 0, 0, 0, 7, 7, 7]);
            store.Sync();
        }

        using (var store = SegmentedStore.Open(path, options))
        {
            var report = LogRecovery.Recover(store, Options, path);
            Assert.Equal(end, report.TruncatedAt);
            Assert.Equal(11, report.DroppedBytes);
        }

        var segment = File.ReadAllBytes(Path.Combine(path, "00000000000000000000.seg"));
        Assert.DoesNotContain(segment[(int)end..], b => b != 0);
    }
}
