using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Reading;

public sealed class WalDirectoryReadHandleTests
{
    [Fact]
    public void Records_that_are_never_enumerated_hold_no_file_handle_and_enumerated_ones_release_theirs()
    {
        // Open descriptors are counted in /proc/self/fd, which only Linux has (where CI runs).
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var directory = new TempDirectory();
        var path = directory.Combine("log");
        using (var store = SegmentedStore.Open(path, new SegmentedStoreOptions { SegmentSize = 4096 }))
        {
            TestLog.AppendMany(store, 100);
        }

        var unread = WalDirectory.Read(path);
        Assert.Equal(0, HandlesUnder(path));

        using (var reading = unread.GetEnumerator())
        {
            Assert.True(reading.MoveNext());
            Assert.NotEqual(0, HandlesUnder(path));
        }

        Assert.Equal(0, HandlesUnder(path));
        Assert.Equal(100, WalDirectory.Read(path).Count());
        Assert.Equal(0, HandlesUnder(path));
    }

    private static int HandlesUnder(string directory) =>
        Directory.GetFiles("/proc/self/fd").Count(fd =>
        {
            try
            {
                return File.ResolveLinkTarget(fd, returnFinalTarget: false)?.FullName.StartsWith(directory, StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false; // closed while we looked
            }
        });
}
