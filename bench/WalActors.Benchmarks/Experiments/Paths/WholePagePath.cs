using WalActors.Benchmarks.Experiments.Native;

namespace WalActors.Benchmarks.Experiments.Paths;

/// <summary>
/// Whole pages from a <see cref="TailPage"/>: direct I/O (O_DIRECT, with O_DSYNC so the write is its own barrier, or
/// followed by fdatasync), or buffered writes that never cover part of a page (then fdatasync).
/// </summary>
internal sealed unsafe class WholePagePath : IAppendPath
{
    private readonly RawFile _file;
    private readonly TailPage _tail;
    private readonly bool _syncAfter;

    public WholePagePath(string path, int maxAppend, bool direct, bool dataSyncOpen)
    {
        if (direct && Flags.Direct == 0)
        {
            throw new PlatformNotSupportedException("O_DIRECT's value is not known for this architecture.");
        }

        _file = RawFile.Open(path, Flags.ReadWrite | Flags.Create | (direct ? Flags.Direct : 0) | (dataSyncOpen ? Flags.DataSync : 0));
        _tail = new TailPage(maxAppend);
        _syncAfter = !dataSyncOpen;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        var (buffer, length, offset) = _tail.Stage(data);
        _file.Write((byte*)buffer, length, offset);
        if (_syncAfter)
        {
            _file.DataSync();
        }

        _tail.Written();
    }

    public void Dispose()
    {
        _file.Dispose();
        _tail.Dispose();
    }
}
