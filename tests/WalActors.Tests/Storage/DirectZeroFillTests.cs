using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Storage;

public sealed class DirectZeroFillTests
{
    [Fact]
    public void Fills_a_new_file_with_zeros_or_reports_that_it_wrote_nothing()
    {
        using var temp = new TempDirectory();
        AssertZeroFilledOrUntouched(temp.Combine("segment.tmp"));
    }

    [Fact]
    public void On_a_file_system_without_direct_io_it_falls_back_cleanly()
    {
        // tmpfs refuses O_DIRECT; whatever it does, the file is either complete zeros or untouched.
        if (!Directory.Exists("/dev/shm"))
        {
            return;
        }

        var path = Path.Combine("/dev/shm", $"walactors-{Guid.NewGuid():N}.tmp");
        try
        {
            AssertZeroFilledOrUntouched(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertZeroFilledOrUntouched(string path)
    {
        const long size = 8L * 1024 * 1024;
        File.WriteAllBytes(path, []);

        var wrote = DirectZeroFill.TryWrite(path, size, syncEvery: 4L * 1024 * 1024);

        var bytes = File.ReadAllBytes(path);
        if (wrote)
        {
            Assert.Equal(size, bytes.LongLength);
            Assert.True(bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0);
        }
        else
        {
            Assert.Empty(bytes);
        }
    }
}
