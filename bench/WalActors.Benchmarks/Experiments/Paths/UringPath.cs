using WalActors.Benchmarks.Experiments.Native;

namespace WalActors.Benchmarks.Experiments.Paths;

/// <summary>io_uring: the write and the fdatasync linked in one submission, one io_uring_enter per append; buffered, or direct with whole pages.</summary>
internal sealed unsafe class UringPath : IAppendPath
{
    private readonly IoUring _ring;
    private readonly RawFile _file;
    private readonly TailPage? _tail;
    private readonly AlignedBuffer? _staging;
    private long _end;

    public UringPath(IoUring ring, string path, int maxAppend, bool direct)
    {
        _ring = ring;
        _file = RawFile.Open(path, Flags.ReadWrite | Flags.Create | (direct ? Flags.Direct : 0));
        _tail = direct ? new TailPage(maxAppend) : null;

        // Buffered: the data is copied to native memory first, as a log's writer would have it in its own buffer.
        _staging = direct ? null : new AlignedBuffer(maxAppend);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_tail is not null)
        {
            var (buffer, length, offset) = _tail.Stage(data);
            _ring.WriteAndDataSync(_file.Fd, (byte*)buffer, length, offset);
            _tail.Written();
            return;
        }

        data.CopyTo(_staging!.Span);
        _ring.WriteAndDataSync(_file.Fd, _staging.Pointer, data.Length, _end);
        _end += data.Length;
    }

    public void Dispose()
    {
        _file.Dispose();
        _tail?.Dispose();
        _staging?.Dispose();
    }
}
