using WalActors.Benchmarks.Experiments.Native;

namespace WalActors.Benchmarks.Experiments.Paths;

/// <summary>Buffered pwrite through the page cache, then a barrier: what WalActors does today (fdatasync).</summary>
/// <remarks>
/// With <c>startWriteback</c>, sync_file_range(SYNC_FILE_RANGE_WRITE) starts the range's writeback right after the write
/// and before fdatasync: the idea being that a writer could start the I/O while the barrier is still to come. In one
/// thread the two follow each other at once, so this measures the call's cost and whether the kernel overlaps anything.
/// With <c>dataSyncOpen</c> the file is opened O_DSYNC instead and the write is its own barrier (FasterLog's way, with O_SYNC).
/// </remarks>
internal sealed class BufferedPath(string path, bool startWriteback = false, bool dataSyncOpen = false) : IAppendPath
{
    private readonly RawFile _file = RawFile.Open(path, Flags.ReadWrite | Flags.Create | (dataSyncOpen ? Flags.DataSync : 0));
    private long _end;

    public void Append(ReadOnlySpan<byte> data)
    {
        _file.Write(data, _end);
        if (startWriteback)
        {
            _file.StartWriteback(_end, data.Length);
        }

        if (!dataSyncOpen)
        {
            _file.DataSync();
        }

        _end += data.Length;
    }

    public void Dispose() => _file.Dispose();
}
