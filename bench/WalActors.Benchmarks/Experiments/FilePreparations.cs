using WalActors.Benchmarks.Experiments.Native;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Benchmarks.Experiments;

/// <summary>
/// The ways a segment can be made ready before appends go into it, from what WalActors does today (zeros written with
/// O_DIRECT, so none of its pages are cached) to the candidates for issue 12 (warm the cache, recycle a segment).
/// </summary>
internal static unsafe class FilePreparations
{
    private const int Chunk = 1024 * 1024;
    private const long SyncEvery = 4L * 1024 * 1024;

    public static readonly FilePreparation DirectZeroed = new("direct-zeroed",
        "zeros written with O_DIRECT, fdatasync every 4 MiB (WalActors today): blocks written, no page cached", WriteDirectZeros);

    public static readonly FilePreparation BufferedZeroed = new("buffered-zeroed",
        "zeros written through the page cache, then fdatasync: blocks written, every page cached", WriteBufferedZeros);

    public static readonly FilePreparation Fallocated = new("fallocated",
        "fallocate(0, size) + fsync: blocks reserved as unwritten extents, nothing cached", (path, size) =>
        {
            using var file = RawFile.Open(path, Flags.ReadWrite | Flags.Create | Flags.Exclusive);
            file.Allocate(size);
            file.Sync();
        });

    // One WILLNEED call reads at most the device's read-ahead window (read_ahead_kb, 8 MiB on the bench's disk) however
    // long the range; the rest of the file stays uncached. Advising chunk by chunk reads all of it.
    public static readonly FilePreparation WillNeed = new("direct-zeroed+willneed",
        "direct-zeroed, then one posix_fadvise(WILLNEED) over the whole file, and a wait until its reads stop", (path, size) =>
        {
            WriteDirectZeros(path, size);
            using var file = RawFile.Open(path, Flags.ReadOnly);
            file.Advise(Flags.AdviseWillNeed);
            WaitForReadsToSettle();
        });

    public static readonly FilePreparation WillNeedChunks = new("direct-zeroed+willneed-4MiB",
        "direct-zeroed, then posix_fadvise(WILLNEED) for every 4 MiB, and a wait until the reads stop", (path, size) =>
        {
            WriteDirectZeros(path, size);
            using var file = RawFile.Open(path, Flags.ReadOnly);
            for (long offset = 0; offset < size; offset += SyncEvery)
            {
                file.Advise(Flags.AdviseWillNeed, offset, Math.Min(SyncEvery, size - offset));
            }

            WaitForReadsToSettle();
        });

    public static readonly FilePreparation ReadBack = new("direct-zeroed+read-back",
        "direct-zeroed, then read back sequentially (1 MiB preads) to bring every page into the cache", (path, size) =>
        {
            WriteDirectZeros(path, size);
            using var file = RawFile.Open(path, Flags.ReadOnly);
            using var buffer = new AlignedBuffer(Chunk);
            for (long offset = 0; file.Read(buffer.Pointer, Chunk, offset) is var read && read > 0; offset += read)
            {
            }
        });

    public static readonly FilePreparation RecycledCached = new("recycled-cached",
        "an old segment (random bytes written buffered, fdatasync) renamed into place: blocks written, pages still cached", (path, size) => Recycle(path, size, evict: false));

    public static readonly FilePreparation RecycledEvicted = new("recycled-evicted",
        "the same, its pages then dropped (POSIX_FADV_DONTNEED), as a recycled segment the cache has since evicted", (path, size) => Recycle(path, size, evict: true));

    public static readonly FilePreparation Growing = new("growing",
        "an empty file: every append extends it", (path, _) =>
        {
            using var file = RawFile.Open(path, Flags.ReadWrite | Flags.Create | Flags.Exclusive);
            file.Sync();
        });

    private static void WriteDirectZeros(string path, long size)
    {
        using var file = RawFile.Open(path, Flags.WriteOnly | Flags.Create | Flags.Exclusive | Flags.Direct);
        using var zeros = new AlignedBuffer(Chunk);
        for (long offset = 0; offset < size; offset += Chunk)
        {
            file.Write(zeros.Pointer, (int)Math.Min(Chunk, size - offset), offset);
            if ((offset + Chunk) % SyncEvery == 0)
            {
                file.DataSync();
            }
        }

        file.DataSync();
    }

    private static void WriteBufferedZeros(string path, long size)
    {
        using var file = RawFile.Open(path, Flags.WriteOnly | Flags.Create | Flags.Exclusive);
        var zeros = new byte[Chunk];
        for (long offset = 0; offset < size; offset += Chunk)
        {
            file.Write(zeros.AsSpan(0, (int)Math.Min(Chunk, size - offset)), offset);
        }

        file.DataSync();
    }

    private static void Recycle(string path, long size, bool evict)
    {
        var old = path + ".old";
        using (var file = RawFile.Open(old, Flags.WriteOnly | Flags.Create | Flags.Exclusive))
        {
            var data = new byte[Chunk];
            Random.Shared.NextBytes(data);
            for (long offset = 0; offset < size; offset += Chunk)
            {
                file.Write(data.AsSpan(0, (int)Math.Min(Chunk, size - offset)), offset);
            }

            file.DataSync();
            if (evict)
            {
                file.Advise(Flags.AdviseDontNeed);
            }
        }

        File.Move(old, path);
        using var directory = RawFile.Open(Path.GetDirectoryName(Path.GetFullPath(path))!, Flags.ReadOnly);
        directory.Sync();
    }

    // WILLNEED only starts readahead; the experiment wants to know what appending costs once it has finished, as it
    // would have long before a precreated segment is used.
    private static void WaitForReadsToSettle()
    {
        var last = StorageTraffic.Sample().BestReadBytes;
        var quiet = 0;
        for (var i = 0; i < 500 && quiet < 5; i++)
        {
            Thread.Sleep(10);
            var now = StorageTraffic.Sample().BestReadBytes;
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }
}
