using System.Diagnostics;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Storage;

public sealed class SegmentedStoreTests : IDisposable
{
    private static readonly string[] FirstThreeSegments = ["00000000000000000000.seg", "00000000000000004096.seg", "00000000000000008192.seg"];
    private static readonly string[] ForeignFileOnly = ["notes.txt"];

    private static readonly SegmentedStoreOptions Options = new() { SegmentSize = 4096 };
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Segments_are_named_by_base_offset_and_preallocated_to_full_size()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        store.WriteAt(0, new byte[10_000]);

        var files = Directory.GetFiles(LogPath, "*.seg").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(FirstThreeSegments, files[..3]);
        Assert.All(Directory.GetFiles(LogPath, "*.seg"), f => Assert.Equal(4096, new FileInfo(f).Length));
        Assert.Equal(new long[] { 0, 4096, 8192 }, store.Segments.Select(s => s.BaseOffset).Take(3));
    }

    [Fact]
    public void A_write_across_a_segment_boundary_is_split_between_the_files()
    {
        using (var store = SegmentedStore.Open(LogPath, Options))
        {
            var bytes = Enumerable.Range(0, 200).Select(i => (byte)(i + 1)).ToArray();
            store.WriteAt(4000, bytes);
            store.Sync();
        }

        var first = File.ReadAllBytes(Path.Combine(LogPath, "00000000000000000000.seg"));
        var second = File.ReadAllBytes(Path.Combine(LogPath, "00000000000000004096.seg"));
        Assert.Equal(Enumerable.Range(1, 96).Select(i => (byte)i), first[4000..]);
        Assert.Equal(Enumerable.Range(97, 104).Select(i => (byte)i), second[..104]);
    }

    [Fact]
    public void A_second_open_in_the_same_process_is_refused_as_in_use()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        var error = Assert.Throws<LogInUseException>(() => SegmentedStore.Open(LogPath, Options));
        Assert.Equal(Path.GetFullPath(LogPath), error.Path);
    }

    [Fact]
    public void The_log_can_be_opened_again_once_closed()
    {
        SegmentedStore.Open(LogPath, Options).Dispose();
        using var again = SegmentedStore.Open(LogPath, Options);
        Assert.Equal(Path.GetFullPath(LogPath), again.Directory);
    }

    [Fact]
    public void The_lock_file_is_held_against_other_processes()
    {
        using var store = SegmentedStore.Open(LogPath, Options);

        // flock(1) takes the same kind of lock .NET takes for FileShare.None; it must fail while we hold ours.
        var whileOpen = RunFlock(Path.Combine(LogPath, "walactors.lock"));
        store.Dispose();
        var afterClose = RunFlock(Path.Combine(LogPath, "walactors.lock"));

        Assert.Equal(1, whileOpen);
        Assert.Equal(0, afterClose);
    }

    [Fact]
    public void A_non_empty_directory_without_a_manifest_is_refused_and_left_untouched()
    {
        Directory.CreateDirectory(LogPath);
        File.WriteAllText(Path.Combine(LogPath, "notes.txt"), "mine");

        var error = Assert.Throws<NotAWalLogException>(() => SegmentedStore.Open(LogPath, Options));

        Assert.Contains("notes.txt", error.Message);
        Assert.Equal(ForeignFileOnly, Directory.GetFileSystemEntries(LogPath).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_where_the_directory_should_be_is_refused()
    {
        File.WriteAllText(LogPath, "not a directory");
        Assert.Throws<NotAWalLogException>(() => SegmentedStore.Open(LogPath, Options));
        Assert.Equal("not a directory", File.ReadAllText(LogPath));
    }

    [Fact]
    public void A_manifest_from_a_future_format_version_is_refused_and_left_untouched()
    {
        SegmentedStore.Open(LogPath, Options).Dispose();
        var manifest = Path.Combine(LogPath, "walactors.meta");
        var future = File.ReadAllText(manifest).Replace($"format-version {StoreManifest.CurrentFormatVersion}", "format-version 9", StringComparison.Ordinal);
        File.WriteAllText(manifest, future);

        var error = Assert.Throws<UnsupportedLogFormatException>(() => SegmentedStore.Open(LogPath, Options));

        Assert.Equal(9, error.FoundVersion);
        Assert.Equal(future, File.ReadAllText(manifest));
    }

    [Fact]
    public void A_missing_segment_in_the_middle_is_reported_as_damage()
    {
        using (var store = SegmentedStore.Open(LogPath, Options))
        {
            store.WriteAt(0, new byte[3 * 4096]);
        }

        File.Delete(Path.Combine(LogPath, "00000000000000004096.seg"));

        var error = Assert.Throws<LogDamagedException>(() => SegmentedStore.Open(LogPath, Options));
        Assert.Equal(4096, error.Lsn);
    }

    [Fact]
    public void An_existing_log_keeps_the_segment_size_it_was_created_with()
    {
        SegmentedStore.Open(LogPath, Options).Dispose();
        using var store = SegmentedStore.Open(LogPath, new SegmentedStoreOptions { SegmentSize = 8192 });
        Assert.Equal(4096, store.SegmentSize);
    }

    [Fact]
    public void Leftover_temporary_files_from_an_interrupted_creation_are_removed_on_open()
    {
        SegmentedStore.Open(LogPath, Options).Dispose();
        File.WriteAllBytes(Path.Combine(LogPath, "00000000000000004096.seg.tmp"), new byte[100]);

        using var store = SegmentedStore.Open(LogPath, Options);

        Assert.Empty(Directory.GetFiles(LogPath, "*.tmp"));
    }

    [Fact]
    public void Truncating_inside_a_segment_zeroes_the_rest_of_it_on_disk()
    {
        using (var store = SegmentedStore.Open(LogPath, Options))
        {
            store.WriteAt(0, Enumerable.Repeat((byte)0xAB, 6000).ToArray());
            store.Truncate(1000);
        }

        var first = File.ReadAllBytes(Path.Combine(LogPath, "00000000000000000000.seg"));
        Assert.All(first[..1000], b => Assert.Equal(0xAB, b));
        Assert.DoesNotContain(first[1000..], b => b != 0);

        // A later segment is kept for the writes to come, zeroed: recreating it would cost a whole zero-fill.
        Assert.DoesNotContain(File.ReadAllBytes(Path.Combine(LogPath, "00000000000000004096.seg")), b => b != 0);
    }

    [Fact]
    public void Truncating_before_the_last_segment_never_deletes_it()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        store.WriteAt(0, new byte[8192]);
        store.NoteRecordStart(4096 + 200);

        var head = store.TruncateBefore(1_000_000);

        // Filling past half a segment precreates the next one in the background, so the last segment may be that one:
        // either way, no declared record start lies beyond 4296, and the segment holding it stays.
        Assert.Equal(4096 + 200, head);
        Assert.Equal(4096, store.Segments[0].BaseOffset);
    }

    [Fact]
    public void A_read_only_open_ignores_the_lock_and_refuses_writes()
    {
        using var writer = SegmentedStore.Open(LogPath, Options);
        writer.WriteAt(0, [1, 2, 3]);

        using var reader = SegmentedStore.OpenReadOnly(LogPath);
        var back = new byte[3];
        Assert.Equal(3, reader.ReadAt(0, back));
        Assert.Equal(new byte[] { 1, 2, 3 }, back);
        Assert.Throws<InvalidOperationException>(() => reader.WriteAt(0, [9]));
        Assert.Throws<InvalidOperationException>(() => reader.Truncate(0));
    }

    [Fact]
    public void A_read_only_open_of_a_missing_log_is_refused_without_creating_anything()
    {
        Assert.Throws<NotAWalLogException>(() => SegmentedStore.OpenReadOnly(LogPath));
        Assert.False(Directory.Exists(LogPath));
    }

    [Fact]
    public async Task Reads_racing_with_retention_see_data_or_a_truncated_error_never_garbage()
    {
        using var store = SegmentedStore.Open(LogPath, Options);
        var bytes = Enumerable.Range(0, 64 * 4096).Select(i => (byte)(i / 4096 + 1)).ToArray();
        store.WriteAt(0, bytes);

        var reader = Task.Run(() =>
        {
            var buffer = new byte[4096];
            for (var round = 0; round < 200; round++)
            {
                for (long at = 0; at < bytes.Length; at += 4096)
                {
                    try
                    {
                        var read = store.ReadAt(at, buffer);
                        Assert.Equal(4096, read);
                        Assert.All(buffer, b => Assert.Equal((byte)(at / 4096 + 1), b));
                    }
                    catch (LogTruncatedException e)
                    {
                        Assert.True(e.Requested < store.Head);
                    }
                }
            }
        });

        for (long cut = 4096; cut < bytes.Length; cut += 4096)
        {
            store.TruncateBefore(cut);
        }

        await reader;
    }

    private static int RunFlock(string lockFile)
    {
        using var flock = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--exclusive", lockFile, "true"]))!;
        flock.WaitForExit();
        return flock.ExitCode;
    }
}
