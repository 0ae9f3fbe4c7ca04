namespace WalActors.Storage;

/// <summary>
/// A store in memory with the same semantics as a file, including zero-filling a gap; <see cref="Sync"/> is a no-op.
/// For tests, examples and measuring the pipeline without a disk, never for durability.
/// </summary>
public sealed class MemStore : IWalStore
{
    private readonly Lock _gate = new();
    private byte[] _data;
    private long _length;

    /// <summary>Creates an empty store.</summary>
    public MemStore()
        : this(initialCapacity: 4096)
    {
    }

    /// <summary>Creates an empty store with room for <paramref name="initialCapacity"/> bytes before it grows.</summary>
    public MemStore(int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _data = new byte[initialCapacity];
    }

    /// <summary>Creates a store holding a copy of <paramref name="image"/>, for example a log image captured elsewhere.</summary>
    public MemStore(ReadOnlySpan<byte> image)
    {
        _data = image.ToArray();
        _length = image.Length;
    }

    /// <inheritdoc />
    public long Length
    {
        get
        {
            lock (_gate)
            {
                return _length;
            }
        }
    }

    /// <summary>A copy of every byte the store holds.</summary>
    public byte[] ToArray()
    {
        lock (_gate)
        {
            return _data.AsSpan(0, (int)_length).ToArray();
        }
    }

    /// <inheritdoc />
    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var end = offset + bytes.Length;
        if (end > Array.MaxLength)
        {
            throw new WalIOException("writing to memory", null, new InsufficientMemoryException("A memory store is limited to 2 GiB."));
        }

        lock (_gate)
        {
            if (end > _data.Length)
            {
                Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(end, (long)_data.Length * 2)));
            }

            // Bytes between the old end and offset are already zero: Array.Resize zero-fills and
            // Truncate clears what it drops.
            bytes.CopyTo(_data.AsSpan((int)offset));
            _length = Math.Max(_length, end);
        }
    }

    /// <inheritdoc />
    public int ReadAt(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_gate)
        {
            if (offset >= _length)
            {
                return 0;
            }

            var count = (int)Math.Min(buffer.Length, _length - offset);
            _data.AsSpan((int)offset, count).CopyTo(buffer);
            return count;
        }
    }

    /// <inheritdoc />
    public void Truncate(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        lock (_gate)
        {
            if (length < _length)
            {
                _data.AsSpan((int)length, (int)(_length - length)).Clear();
                _length = length;
            }
        }
    }

    /// <inheritdoc />
    public void Sync()
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
