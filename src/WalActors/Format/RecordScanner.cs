using System.Buffers;
using WalActors.Storage;

namespace WalActors.Format;

/// <summary>
/// Walks a byte range of a store frame by frame, reading in large positioned chunks into one reusable buffer.
/// </summary>
/// <remarks>
/// The buffer grows only as far as the largest frame the maximum record size allows, so a corrupt length
/// field can never make the scanner allocate more than that.
/// </remarks>
internal sealed class RecordScanner : IDisposable
{
    public const int DefaultBufferSize = 1024 * 1024;

    private readonly IWalStore _store;
    private long _end;
    private readonly int _maxRecordSize;
    private byte[] _buffer;
    private long _bufferStart;
    private int _filled;
    private bool _storeEnded;
    private int _readSize;
    private readonly int _initialReadSize;
    private long _bufferVersion;

    /// <param name="store">The store to read.</param>
    /// <param name="start">The LSN of the first frame to read.</param>
    /// <param name="end">Where the scan stops (exclusive); frames are read only if they end at or before it.</param>
    /// <param name="maxRecordSize">The largest payload a valid frame may declare.</param>
    /// <param name="bufferSize">The most to read at a time.</param>
    /// <param name="initialReadSize">
    /// How much the first read asks for (by default <paramref name="bufferSize"/>); each later one asks for twice as much,
    /// up to <paramref name="bufferSize"/>. A reader that may want only a record or two starts small, so it does not
    /// read a megabyte for one record, while a long scan still reaches large reads after a few.
    /// </param>
    public RecordScanner(IWalStore store, long start, long end, int maxRecordSize, int bufferSize = DefaultBufferSize, int? initialReadSize = null)
    {
        _store = store;
        _end = end;
        _maxRecordSize = maxRecordSize;
        Position = start;
        _bufferStart = start;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, FrameCodec.HeaderSize));
        _readSize = Math.Clamp(initialReadSize ?? bufferSize, FrameCodec.HeaderSize, Math.Max(bufferSize, FrameCodec.HeaderSize));
        _initialReadSize = _readSize;
    }

    /// <summary>Where the next frame is expected: after a record, the end of that record.</summary>
    public long Position { get; private set; }

    /// <summary>How many bytes the scan has read from the store so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Why the last <see cref="ScanStatus.Invalid"/> result was invalid.</summary>
    public FrameFault Fault { get; private set; }

    /// <summary>Reads the frame at <see cref="Position"/>; on <see cref="ScanStatus.Record"/> advances past it.</summary>
    /// <remarks>
    /// A range compaction dropped reads as zeros: the scan steps over it to the next byte the store holds. Bytes read
    /// before and after the store's layout changed may not agree (a dropped frame's header from the old file, its payload
    /// from the new one); such a frame is read again, so only a frame that is invalid in one layout is reported.
    /// </remarks>
    public ScanStatus Next(out ScannedRecord record)
    {
        while (true)
        {
            var status = ReadFrame(out record);
            if (status != ScanStatus.Invalid)
            {
                return status;
            }

            if (Fault == FrameFault.Zeros && _store.DataAtOrAfter(Position) is var data && data > Position)
            {
                Seek(data);
                continue;
            }

            if (_store.LayoutVersion != _bufferVersion)
            {
                _bufferStart = Position;
                _filled = 0;
                _storeEnded = false;
                continue;
            }

            return status;
        }
    }

    private ScanStatus ReadFrame(out ScannedRecord record)
    {
        record = default;
        Fault = FrameFault.None;
        if (Position >= _end)
        {
            return ScanStatus.End;
        }

        var available = Ensure(FrameCodec.HeaderSize);
        if (available.IsEmpty)
        {
            return ScanStatus.End;
        }

        var fault = FrameCodec.CheckHeader(available, Position, _maxRecordSize, out var kind, out var payloadLength, out var durableEnd);
        if (fault != FrameFault.None)
        {
            return Invalid(fault);
        }

        var frameSize = FrameCodec.FrameSize(payloadLength);
        if (Position + frameSize > _end)
        {
            // The range ends inside the frame: at the store's end that is a torn write; at a record
            // boundary the caller knows of, the header itself must be wrong.
            return Invalid(FrameFault.Short);
        }

        var frame = Ensure(frameSize);
        if (frame.Length < frameSize)
        {
            return Invalid(FrameFault.Short);
        }

        if (!FrameCodec.ChecksumMatches(frame, Position))
        {
            return Invalid(FrameFault.BadChecksum);
        }

        var offset = (int)(Position - _bufferStart);
        record = new ScannedRecord(Position, kind, _buffer.AsMemory(offset + FrameCodec.HeaderSize, payloadLength), frameSize, durableEnd)
        {
            Frame = _buffer.AsMemory(offset, frameSize),
        };
        Position += frameSize;
        return ScanStatus.Record;
    }

    /// <summary>Moves the end of the scan, for a reader that follows a growing log.</summary>
    public void SetEnd(long end)
    {
        _end = end;
        _storeEnded = false;
    }

    /// <summary>Moves the scan to <paramref name="position"/>, for example back to the start of an unfinished batch.</summary>
    /// <param name="position">Where the next frame is expected.</param>
    /// <param name="readSmallAgain">
    /// When the position lies outside what was read, start again from the first read's size: a reader jumping from record
    /// to distant record must not read a megabyte for each.
    /// </param>
    public void Seek(long position, bool readSmallAgain = false)
    {
        Position = position;
        if (position < _bufferStart || position > _bufferStart + _filled)
        {
            _bufferStart = position;
            _filled = 0;
            _storeEnded = false;
            if (readSmallAgain)
            {
                _readSize = _initialReadSize;
            }
        }
    }

    /// <summary>
    /// Moves the scan to <paramref name="position"/>; when that lies outside what was read, the next read asks for
    /// <paramref name="readSize"/> bytes: a reader that knows how long the records there are reads just them.
    /// </summary>
    public void Seek(long position, int readSize)
    {
        Seek(position);
        if (_filled == 0)
        {
            _readSize = Math.Clamp(readSize, FrameCodec.HeaderSize, _buffer.Length);
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer!, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ScanStatus Invalid(FrameFault fault)
    {
        Fault = fault;
        return ScanStatus.Invalid;
    }

    /// <summary>Makes up to <paramref name="count"/> bytes from <see cref="Position"/> available; fewer only where the store or range ends.</summary>
    private ReadOnlySpan<byte> Ensure(int count)
    {
        var offset = (int)(Position - _bufferStart);
        if (_filled - offset < count && !_storeEnded)
        {
            if (count > _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(count);
                _buffer.AsSpan(offset, _filled - offset).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            else
            {
                _buffer.AsSpan(offset, _filled - offset).CopyTo(_buffer);
            }

            _filled -= offset;
            _bufferStart = Position;
            offset = 0;
            if (_filled == 0)
            {
                _bufferVersion = _store.LayoutVersion;
            }

            var want = (int)Math.Min(Math.Max(_readSize, count) - _filled, Math.Min(_buffer.Length - _filled, Math.Max(0, _end - (_bufferStart + _filled))));
            _readSize = (int)Math.Min((long)_readSize * 2, _buffer.Length);
            while (want > 0)
            {
                var read = _store.ReadAt(_bufferStart + _filled, _buffer.AsSpan(_filled, want));
                BytesRead += read;
                _filled += read;
                want -= read;
                if (read == 0)
                {
                    _storeEnded = true;
                    break;
                }
            }
        }

        var have = Math.Max(0, _filled - offset);
        return _buffer.AsSpan(offset, Math.Min(count, have));
    }
}
