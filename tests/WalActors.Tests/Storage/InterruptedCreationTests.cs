using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Storage;

/// <summary>What a process killed while creating a log leaves behind must open as that log, not be refused as foreign.</summary>
public sealed class InterruptedCreationTests : IDisposable
{
    private static readonly SegmentedStoreOptions Options = new() { SegmentSize = 4096 };
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("walactors-log\nformat-vers")]
    [InlineData("walactors-log\nformat-version 1\nsegment-size 4096\n")]
    public void A_log_whose_first_manifest_was_never_renamed_into_place_opens_as_a_new_log(string unfinishedManifest)
    {
        // Killed between creating the lock file and renaming the new manifest into place.
        Directory.CreateDirectory(LogPath);
        File.WriteAllBytes(Path.Combine(LogPath, "walactors.lock"), []);
        File.WriteAllText(Path.Combine(LogPath, StoreManifest.FileName + SegmentFileNames.PendingExtension), unfinishedManifest);

        using (var store = SegmentedStore.Open(LogPath, Options))
        {
            Assert.True(store.IsEmpty);
            TestLog.Append(store, 0, [1, 2, 3]);
            store.Sync();
        }

        Assert.False(File.Exists(Path.Combine(LogPath, StoreManifest.FileName + SegmentFileNames.PendingExtension)));
        using var reopened = SegmentedStore.Open(LogPath, Options);
        Assert.Equal([1, 2, 3], TestLog.ReadAll(reopened).Single().Payload);
    }

    [Fact]
    public void A_log_whose_first_segment_was_never_renamed_into_place_opens_and_forgets_it()
    {
        SegmentedStore.Open(LogPath, Options).Dispose();
        File.WriteAllBytes(Path.Combine(LogPath, SegmentFileNames.For(0) + SegmentFileNames.PendingExtension), new byte[1000]);

        using var store = SegmentedStore.Open(LogPath, Options);

        Assert.True(store.IsEmpty);
        Assert.Empty(Directory.GetFiles(LogPath, "*" + SegmentFileNames.PendingExtension));
    }

    [Fact]
    public void A_directory_with_a_foreign_file_next_to_an_unfinished_manifest_is_still_refused_untouched()
    {
        Directory.CreateDirectory(LogPath);
        File.WriteAllText(Path.Combine(LogPath, StoreManifest.FileName + SegmentFileNames.PendingExtension), "walactors-log\n");
        File.WriteAllText(Path.Combine(LogPath, "notes.txt"), "mine");

        Assert.Throws<NotAWalLogException>(() => SegmentedStore.Open(LogPath, Options));
        Assert.Equal(["notes.txt", StoreManifest.FileName + SegmentFileNames.PendingExtension],
            Directory.GetFiles(LogPath).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
