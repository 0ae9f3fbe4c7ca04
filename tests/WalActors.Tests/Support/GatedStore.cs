using WalActors.Storage;

namespace WalActors.Tests.Support;

/// <summary>Any store, with a gate in front of its writes: while closed, every write waits. Models a disk that has stalled.</summary>
public sealed class GatedStore(IWalStore inner) : IWalStore
{
    private readonly ManualResetEventSlim _open = new(initialState: true);

    /// <summary>Signalled each time a write starts waiting at the closed gate.</summary>
    public SemaphoreSlim WriteHeld { get; } = new(0);

    public void Close() => _open.Reset();

    public void Open() => _open.Set();

    public long Length => inner.Length;

    public long Head => inner.Head;

    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        if (!_open.IsSet)
        {
            WriteHeld.Release();
            _open.Wait();
        }

        inner.WriteAt(offset, bytes);
    }

    public int ReadAt(long offset, Span<byte> buffer) => inner.ReadAt(offset, buffer);

    public void Truncate(long length) => inner.Truncate(length);

    public void Sync() => inner.Sync();

    public long TruncateBefore(long offset) => inner.TruncateBefore(offset);

    public void Dispose()
    {
        Open();
        inner.Dispose();
    }
}
