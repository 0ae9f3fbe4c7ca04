using WalActors.Benchmarks.Experiments.Native;

namespace WalActors.Benchmarks.Experiments.Paths;

/// <summary>
/// The end of an append-only file kept in aligned memory, so every write can cover whole pages: the last, partial page
/// stays here and is written again, complete, with the next append. Direct I/O needs that (it cannot write 144 bytes);
/// a buffered writer can use it to never write part of a page, so the kernel never reads one first.
/// </summary>
internal sealed unsafe class TailPage : IDisposable
{
    private const int Page = AlignedBuffer.Alignment;
    private readonly AlignedBuffer _buffer;
    private long _pageStart;
    private int _used;

    public TailPage(int maxAppend) => _buffer = new AlignedBuffer(maxAppend + (2 * Page));

    /// <summary>Copies <paramref name="data"/> after what is held and returns the whole pages to write: from the tail page's start to the end of the page the data ends in, zero-padded.</summary>
    public (nint Data, int Length, long Offset) Stage(ReadOnlySpan<byte> data)
    {
        data.CopyTo(_buffer.Span[_used..]);
        var end = _used + data.Length;
        var length = (end + Page - 1) / Page * Page;
        _buffer.Span[end..length].Clear();
        _used = end;
        return ((nint)_buffer.Pointer, length, _pageStart);
    }

    /// <summary>After the write: keeps only the partial last page, moved to the front.</summary>
    public void Written()
    {
        var whole = _used / Page * Page;
        if (whole > 0)
        {
            _buffer.Span[whole.._used].CopyTo(_buffer.Span);
            _pageStart += whole;
            _used -= whole;
        }
    }

    public void Dispose() => _buffer.Dispose();
}
