using Microsoft.Win32.SafeHandles;
using WalActors.Storage;

namespace WalActors.Host.Bench.Disk;

/// <summary>
/// A file filled with real zero bytes and synced before use, as WalActors prepares its segments: overwriting it
/// needs no file-size or extent metadata in the barrier, so the baselines get the cheapest fdatasync this disk has.
/// </summary>
internal static class ZeroFilledFile
{
    public static SafeFileHandle Create(string path, long size)
    {
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            var zeros = new byte[1024 * 1024];
            for (long offset = 0; offset < size; offset += zeros.Length)
            {
                RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, size - offset)), offset);
            }

            DurabilityBarrier.Flush(handle, path);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
