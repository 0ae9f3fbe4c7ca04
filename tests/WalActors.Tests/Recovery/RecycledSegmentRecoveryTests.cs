using System.Buffers.Binary;
using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Recovery;

/// <summary>
/// A recycled segment still holds valid frames of the position it had. Recovery over it must stop at the log's true end,
/// never read a stale frame as a record, never call them damage, never report them as a torn tail nor zero them, and a
/// crash that left new bytes over part of them (a power loss that kept some pages and lost others) must recover to a
/// prefix of what was written, every record the log's own.
/// </summary>
public sealed class RecycledSegmentRecoveryTests : IDisposable
{
    private const long S = 16 * 1024;
    private const int MaxPayload = 300;
    private static readonly SegmentedStoreOptions StoreOptions = new() { SegmentSize = S, RecycleSegments = 2 };
    private static readonly RecoveryOptions Options = new(TestLog.MaxRecordSize, InFlightWindow: 8 * S);
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Recovery_over_recycled_segments_of_valid_stale_frames_stops_at_the_true_end_with_no_tail_and_no_damage()
    {
        var (end, head) = WriteAndRecycle();

        using var store = SegmentedStore.Open(LogPath, StoreOptions);
        var analysis = LogAnalyzer.Analyze(store, Options, LogPath);
        var report = LogRecovery.Recover(store, Options, LogPath);

        Assert.Equal(end, report.End);
        Assert.Equal(head, report.Head);
        Assert.Null(report.TruncatedAt);
        Assert.Equal(0, report.DroppedBytes);
        Assert.Null(analysis.Evidence);
        Assert.Equal(0, analysis.TailBytes);
        AssertOwnRecords(store, end, tags: [1]);

        // Nothing had to be zeroed: the recycled files still hold their stale frames.
        Assert.True(NonZeroBytes(5 * S) > S / 2, "the recycled segment was zeroed");
        Assert.True(NonZeroBytes(6 * S) > S / 2, "the recycled segment was zeroed");
    }

    [Fact]
    public void A_process_killed_at_any_step_of_a_recycling_leaves_a_log_that_recovers_every_record_from_its_head()
    {
        // A kill leaves in the directory exactly what the completed steps wrote (the kernel keeps every completed write):
        // a copy taken after each step is what the next process finds.
        var snapshots = new List<(string Step, string Directory)>();
        long end;
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            LogRecovery.Recover(store, Options, LogPath);
            end = WriteFrames(store, 0, 4 * S + 500, tag: 1, durableEnd: 0, new Random(1));
            store.Sync();
            store.RecyclingStepDone = step => snapshots.Add((step, CopyOfLog(snapshots.Count)));
            store.TruncateBefore(3 * S);
        }

        Assert.Equal(
            ["head recorded", "others deleted", "recycled positions recorded", "fragment of 0 cleared", $"0 renamed to {5 * S}",
                $"fragment of {S} cleared", $"{S} renamed to {6 * S}", "last segment recorded"],
            snapshots.Select(s => s.Step));
        foreach (var (step, directory) in snapshots)
        {
            using var store = SegmentedStore.Open(directory, StoreOptions);
            var report = LogRecovery.Recover(store, Options, directory);

            Assert.True(end == report.End, $"killed after '{step}': recovered to {report.End}, not {end}");
            Assert.True(report.DroppedBytes == 0, $"killed after '{step}': {report.DroppedBytes} bytes dropped");
            Assert.True(store.Head >= 2 * S, $"killed after '{step}': head {store.Head}");
            Assert.All(store.RecycledSegments.Keys, b => Assert.Contains(b, store.Segments.Select(s => s.BaseOffset)));
            AssertOwnRecords(store, end, tags: [1]);
        }
    }

    [Fact]
    public void A_cleanly_closed_log_with_recycled_segments_ahead_reads_as_closed_cleanly()
    {
        var (end, _) = WriteAndRecycle(closeMarker: true);

        using var store = SegmentedStore.OpenReadOnly(LogPath);
        var analysis = LogAnalyzer.Analyze(store, Options, LogPath);

        Assert.True(analysis.ClosedCleanly);
        Assert.Equal(end + FrameCodec.MarkerSize, analysis.End);
    }

    [Fact]
    public void An_offline_read_from_a_stale_frame_past_the_end_finds_the_end_not_a_bad_position()
    {
        var (end, _) = WriteAndRecycle();
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            LogRecovery.Recover(store, Options, LogPath);
        }

        long stale;
        using (var store = SegmentedStore.OpenReadOnly(LogPath))
        {
            stale = Enumerable.Range(0, (int)(S / 8)).Select(i => 6 * S + i * 8L).First(p => TailBytes.IsStaleFrameAt(store, p, TestLog.MaxRecordSize));
            Assert.False(TailBytes.IsStaleFrameAt(store, store.Head, TestLog.MaxRecordSize));
            Assert.False(TailBytes.IsStaleFrameAt(store, end, TestLog.MaxRecordSize));
        }

        Assert.Empty(WalDirectory.Read(LogPath, new Lsn(stale)));
        Assert.Throws<InvalidLsnException>(() => WalDirectory.Read(LogPath, new Lsn(stale + 8)).ToList());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void A_power_loss_after_a_partial_overwrite_of_recycled_bytes_recovers_a_prefix_of_the_log_s_own_records(int seed)
    {
        var random = new Random(seed);
        var (end, _) = WriteAndRecycle();
        long durable, written;
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            Assert.Equal(end, LogRecovery.Recover(store, Options, LogPath).End);
            durable = WriteFrames(store, end, 5 * S + random.Next((int)S), tag: 2, durableEnd: end, random);
            store.Sync();
        }

        // What the disk holds before the unsynced writes: a page the power loss does not keep is this again.
        var before = new[] { File.ReadAllBytes(SegmentPath(5 * S)), File.ReadAllBytes(SegmentPath(6 * S)) };
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            // Recovery finds the end where the synced writes left it and, past it, only zeros and stale frames: it changes
            // nothing on the disk, so `before` is still what the disk holds.
            Assert.Equal(durable, LogRecovery.Recover(store, Options, LogPath).End);
            written = WriteFrames(store, durable, durable + 1 + random.Next((int)(2 * S - (durable - 5 * S))), tag: 3, durableEnd: durable, random);
        }

        LosePages(before, durable, written, random);

        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            var report = LogRecovery.Recover(store, Options, LogPath);

            Assert.InRange(report.End, durable, written);
            // What is dropped is what this life wrote, and at most the rest of a stale frame a lost page cut: no stale frame
            // past the log's last page counts.
            var limit = AlignToPage(written) + MaxPayload + FrameCodec.HeaderSize;
            Assert.True(report.End + report.DroppedBytes <= limit,
                $"{report.DroppedBytes} bytes dropped past {report.End}, though the log wrote only up to {written}");
            AssertOwnRecords(store, report.End, tags: [1, 2, 3]);

            // The next life writes over what is left; a crash then recovers exactly what it wrote.
            var next = WriteFrames(store, report.End, report.End + S, tag: 4, durableEnd: report.End, random);
            store.Sync();
            end = next;
        }

        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            var report = LogRecovery.Recover(store, Options, LogPath);
            Assert.Equal(end, report.End);
            Assert.Equal(0, report.DroppedBytes);
            AssertOwnRecords(store, end, tags: [1, 2, 3, 4]);
        }
    }

    [Fact]
    public void Damage_inside_a_recycled_segment_the_log_had_made_durable_is_still_damage()
    {
        var (end, _) = WriteAndRecycle();
        long damagedAt;
        using (var store = SegmentedStore.Open(LogPath, StoreOptions))
        {
            LogRecovery.Recover(store, Options, LogPath);
            var random = new Random(9);
            var first = WriteFrames(store, end, 5 * S + 1000, tag: 2, durableEnd: end, random);
            store.Sync();

            // These frames say everything below `first` was durable.
            WriteFrames(store, first, first + 2000, tag: 3, durableEnd: first, random);
            store.Sync();
            damagedAt = 5 * S + 200;
        }

        using (var file = File.OpenHandle(SegmentPath(5 * S), FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(file, new byte[] { 0x5A, 0x5A, 0x5A }, damagedAt - 5 * S);
        }

        using var damaged = SegmentedStore.Open(LogPath, StoreOptions);
        Assert.Throws<LogDamagedException>(() => LogRecovery.Recover(damaged, Options, LogPath));
    }

    /// <summary>
    /// Writes frames through four and a half segments, syncs, drops the first three (recycling two of them into 5S and 6S),
    /// and closes without a close marker unless asked; returns the log's end and head.
    /// </summary>
    private (long End, long Head) WriteAndRecycle(bool closeMarker = false)
    {
        using var store = SegmentedStore.Open(LogPath, StoreOptions);
        LogRecovery.Recover(store, Options, LogPath);
        var end = WriteFrames(store, 0, 4 * S + 500, tag: 1, durableEnd: 0, new Random(1));
        store.Sync();
        var head = store.TruncateBefore(3 * S);
        Assert.Equal(new Dictionary<long, long> { [5 * S] = 0, [6 * S] = S }, store.RecycledSegments);
        if (closeMarker)
        {
            var marker = new byte[FrameCodec.MarkerSize];
            FrameCodec.Encode(marker, end, FrameKind.Marker, [], end);
            store.WriteAt(end, marker);
            store.Sync();
        }

        return (end, head);
    }

    /// <summary>Writes whole frames (payload: its LSN, then the tag) from <paramref name="from"/> until at least <paramref name="until"/>.</summary>
    private static long WriteFrames(SegmentedStore store, long from, long until, byte tag, long durableEnd, Random random)
    {
        var bytes = new List<byte>();
        var position = from;
        var starts = new List<long>();
        while (position < until)
        {
            var payload = new byte[random.Next(9, MaxPayload)];
            random.NextBytes(payload);
            BinaryPrimitives.WriteInt64LittleEndian(payload, position);
            payload[8] = tag;
            var frame = new byte[FrameCodec.FrameSize(payload.Length)];
            FrameCodec.Encode(frame, position, FrameKind.Full, payload, durableEnd);
            bytes.AddRange(frame);
            starts.Add(position);
            position += frame.Length;
        }

        store.WriteAt(from, bytes.ToArray());
        starts.ForEach(store.NoteRecordStart);
        return position;
    }

    /// <summary>Every record from the head to <paramref name="end"/> is the log's own: written at its LSN, with one of <paramref name="tags"/>.</summary>
    private static void AssertOwnRecords(SegmentedStore store, long end, byte[] tags)
    {
        var records = TestLog.ReadAll(store);
        Assert.NotEmpty(records);
        Assert.Equal(store.Head, records[0].Lsn);
        Assert.All(records, r =>
        {
            Assert.Equal(r.Lsn, BinaryPrimitives.ReadInt64LittleEndian(r.Payload));
            Assert.Contains(r.Payload[8], tags);
        });
        var last = records[^1];
        Assert.Equal(end, last.Lsn + FrameCodec.FrameSize(last.Payload.Length));
    }

    /// <summary>
    /// The power loss: of the pages written after <paramref name="durable"/>, each either reached the disk or not (then the
    /// disk still holds what <paramref name="before"/> says), and one is torn at a sector.
    /// </summary>
    private void LosePages(byte[][] before, long durable, long written, Random random)
    {
        var torn = random.Next(2) == 0;
        for (var segment = 0; segment < 2; segment++)
        {
            var baseOffset = (5 + segment) * S;
            var path = SegmentPath(baseOffset);
            var now = File.ReadAllBytes(path);
            for (var page = 0L; page < S; page += 4096)
            {
                var start = baseOffset + page;
                if (start + 4096 <= durable || start >= written || random.Next(2) == 0)
                {
                    continue;
                }

                var keep = torn ? 512 * random.Next(8) : 0;
                torn = false;
                var from = (int)Math.Max(page + keep, durable - baseOffset);
                Array.Copy(before[segment], from, now, from, (int)(page + 4096 - from));
            }

            File.WriteAllBytes(path, now);
        }
    }

    private static long AlignToPage(long position) => (position + 4095) / 4096 * 4096;

    /// <summary>The log's files as they are now (the lock and live status left out), in a directory of their own.</summary>
    private string CopyOfLog(int index)
    {
        var copy = _directory.Combine($"killed-{index}");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(LogPath))
        {
            var name = Path.GetFileName(file);
            if (name is not SegmentedStore.LockFileName and not LiveStatus.FileName)
            {
                File.Copy(file, Path.Combine(copy, name));
            }
        }

        return copy;
    }

    private long NonZeroBytes(long baseOffset) => File.ReadAllBytes(SegmentPath(baseOffset)).Count(b => b != 0);

    private string SegmentPath(long baseOffset) => Path.Combine(LogPath, SegmentFileNames.For(baseOffset));
}
