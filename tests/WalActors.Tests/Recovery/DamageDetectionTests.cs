using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Recovery;

/// <summary>
/// Damage is never taken for a torn tail: whatever the distance from the end, an invalid byte that a later frame, the
/// close marker or the manifest proves was durable refuses the log, untouched; and missing files are never "clean".
/// </summary>
public sealed class DamageDetectionTests(ITestOutputHelper output) : WalTestKit(output)
{
    private const int Records = 300;

    [Fact]
    public async Task A_bit_flipped_anywhere_in_a_cleanly_closed_log_is_refused_as_damage_at_or_before_it()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log"));
        var lsns = await WriteAndClose(options, Records, wave: 1);
        var (image, recoveryOptions) = ImageOf(options.Directory);
        var end = recoveryOptions.ClosedAt;
        Assert.True(end > lsns[^1], "the clean close was recorded past the last record");

        var refused = 0;
        for (var position = 0; position < end; position++)
        {
            var damaged = (byte[])image.Clone();
            damaged[position] ^= (byte)(1 << (position % 8));
            var store = new MemStore(damaged);

            var error = Assert.ThrowsAny<WalException>(() => LogRecovery.Recover(store, recoveryOptions, "image"));

            // A bare memory store has no manifest to vouch for a first frame that is not a frame.
            if (error is NotAWalLogException)
            {
                Assert.True(position < 2, $"flip at {position}: {error.Message}");
                continue;
            }

            var damage = Assert.IsType<LogDamagedException>(error);
            Assert.True(damage.Lsn <= position, $"flip at {position} reported at {damage.Lsn}");
            Assert.Equal(damaged, store.ToArray());
            refused++;
        }

        Output.WriteLine($"{refused} of {end} single-bit flips refused as damage");
    }

    [Fact]
    public async Task A_bit_flipped_in_the_last_segment_of_a_larger_log_that_crashed_is_damage_when_a_later_frame_vouches_for_it()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 16 * 1024 };
        var lsns = await WriteAndClose(options, 2_000, wave: 50);
        var (image, recoveryOptions) = ImageOf(options.Directory);

        // As after a crash: no close marker, no clean close in the manifest. Every wave was framed after the one before
        // it was acknowledged, so its frames vouch for all of that wave.
        recoveryOptions = recoveryOptions with { ClosedAt = 0 };
        var closedAt = LastRecordEnd(image, lsns);
        image.AsSpan((int)closedAt).Clear();
        var lastSegment = (int)(lsns[^1] / options.SegmentSize * options.SegmentSize);
        var vouched = lsns.Where(l => l >= lastSegment && l < lsns[^50]).ToArray();
        Assert.NotEmpty(vouched);
        foreach (var lsn in vouched)
        {
            var damaged = (byte[])image.Clone();
            damaged[lsn + 20] ^= 0x10;
            var error = Assert.Throws<LogDamagedException>(() => LogRecovery.Recover(new MemStore(damaged), recoveryOptions, "image"));
            Assert.Equal(lsn, error.Lsn);
        }
    }

    [Fact]
    public async Task A_truly_torn_tail_is_still_cut_without_any_claim_of_damage()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log"));
        var lsns = await WriteAndClose(options, 50, wave: 1);
        var (image, recoveryOptions) = ImageOf(options.Directory);
        recoveryOptions = recoveryOptions with { ClosedAt = 0 };
        var end = (int)LastRecordEnd(image, lsns);
        image.AsSpan(end).Clear();

        // A crash tore the last record: everything before it stays, nothing claims the torn bytes were durable.
        var payloadEnd = (int)lsns[^1] + WalActors.Format.FrameCodec.HeaderSize + Payload(49).Length;
        for (var cut = (int)lsns[^1] + 1; cut < payloadEnd; cut++)
        {
            var torn = (byte[])image.Clone();
            torn.AsSpan(cut).Clear();
            var report = LogRecovery.Recover(new MemStore(torn), recoveryOptions, "image");
            Assert.Equal(lsns[^1], report.End);
            Assert.Equal(49, report.RecordCount);
        }
    }

    [Fact]
    public async Task A_segment_cut_to_zero_bytes_is_refused_naming_it_and_left_as_it_was()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 16 * 1024 };
        await WriteAndClose(options, 400, wave: 1);
        var second = SegmentPath(options.Directory, options.SegmentSize);
        File.WriteAllBytes(second, []);

        var error = await RefusedOnOpen(options);

        Assert.Equal(options.SegmentSize, error.Lsn);
        Assert.Contains("is 0 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(second).Length);
    }

    [Fact]
    public async Task The_last_segment_deleted_after_a_clean_close_is_refused_as_missing()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 16 * 1024 };
        await WriteAndClose(options, 400, wave: 1);
        var last = Directory.GetFiles(options.Directory, "*.seg").Order().Last();
        File.Delete(last);

        var error = await RefusedOnOpen(options);

        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(last));
    }

    [Fact]
    public async Task The_only_segment_deleted_is_refused_as_missing_not_opened_as_an_empty_log()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log"));
        await WriteAndClose(options, 10, wave: 1);
        foreach (var segment in Directory.GetFiles(options.Directory, "*.seg"))
        {
            File.Delete(segment);
        }

        var error = await RefusedOnOpen(options);

        Assert.Equal(0, error.Lsn);
        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_edited_to_another_segment_size_is_refused_and_nothing_is_rewritten()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log"));
        await WriteAndClose(options, 10, wave: 1);
        var manifest = Path.Combine(options.Directory, StoreManifest.FileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"segment-size {options.SegmentSize}", "segment-size 8192", StringComparison.Ordinal));
        var before = Directory.GetFiles(options.Directory, "*.seg").ToDictionary(f => f, f => new FileInfo(f).Length);

        var error = await RefusedOnOpen(options);

        Assert.Contains("8192 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(options.Directory, "*.seg").ToDictionary(f => f, f => new FileInfo(f).Length));
    }

    [Fact]
    public async Task A_log_whose_head_segment_is_gone_is_refused_even_without_retention()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log")) with { SegmentSize = 16 * 1024 };
        await WriteAndClose(options, 400, wave: 1);
        File.Delete(SegmentPath(options.Directory, 0));

        var error = await RefusedOnOpen(options);

        Assert.Equal(0, error.Lsn);
        Assert.Contains("holds the log's head", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_close_marker_is_damage_because_the_manifest_remembers_the_clean_close()
    {
        using var directory = new TempDirectory();
        var options = SmallLog(directory.Combine("log"));
        await WriteAndClose(options, 10, wave: 1);
        var (image, recoveryOptions) = ImageOf(options.Directory);
        image[recoveryOptions.ClosedAt - 3] ^= 1;

        var error = Assert.Throws<LogDamagedException>(() => LogRecovery.Recover(new MemStore(image), recoveryOptions, "image"));
        Assert.Contains("closed cleanly", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Appends <paramref name="count"/> records in waves of <paramref name="wave"/> concurrent appends, each wave acknowledged before the next.</summary>
    private async Task<IReadOnlyList<long>> WriteAndClose(WalOptions options, int count, int wave)
    {
        var log = WriteAheadLog.Start(Sys, options, "writer-" + Guid.NewGuid().ToString("N")[..6]);
        var client = new WalClient(Sys, log);
        var lsns = new List<long>();
        for (var first = 0; first < count; first += wave)
        {
            var acked = await Task.WhenAll(Enumerable.Range(first, Math.Min(wave, count - first)).Select(i => client.AppendAsync(Payload(i))));
            lsns.AddRange(acked.Select(l => l.Value));
        }

        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));
        lsns.Sort();
        return lsns;
    }

    private async Task<LogDamagedException> RefusedOnOpen(WalOptions options)
    {
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "reopen-" + Guid.NewGuid().ToString("N")[..6]));
        var error = await Assert.ThrowsAnyAsync<WalException>(() => client.Ready);
        return error as LogDamagedException ?? Assert.IsType<LogDamagedException>(error.InnerException);
    }

    /// <summary>The log's bytes from LSN 0 as one image, and the options recovery would judge it with.</summary>
    private static (byte[] Image, RecoveryOptions Options) ImageOf(string directory)
    {
        using var store = SegmentedStore.OpenReadOnly(directory);
        var image = new byte[store.Length];
        Assert.Equal(image.Length, store.ReadAt(0, image));
        return (image, LogOpener.ReadOnlyOptions(store, new WalOptions().ToRecoveryOptions()));
    }

    private static long LastRecordEnd(byte[] image, IReadOnlyList<long> lsns)
    {
        using var store = new MemStore(image);
        return TestLog.ReadAll(store).Single(r => r.Lsn == lsns[^1]) is var last ? last.Lsn + WalActors.Format.FrameCodec.FrameSize(last.Payload.Length) : 0;
    }

    private static string SegmentPath(string directory, long baseOffset) => Path.Combine(directory, SegmentFileNames.For(baseOffset));
}
