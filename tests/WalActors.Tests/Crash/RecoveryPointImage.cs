using WalActors.Storage;

namespace WalActors.Tests.Crash;

/// <summary>A crash image with the recovery point the crash left beside it, for recovery to start from.</summary>
internal sealed class RecoveryPointImage(byte[] bytes, (long End, byte[] Body)? recoveryPoint) : IWalStore, IRecoveryPointStore
{
    private readonly MemStore _bytes = new(bytes);

    public long Length => _bytes.Length;

    public long SegmentSize => PowerLossStore.RecoveryPointSpan;

    public long RecoveryPointEpoch => 0;

    public byte[] ToArray() => _bytes.ToArray();

    public (long End, byte[] Body)? ReadRecoveryPoint() => recoveryPoint;

    public bool WriteRecoveryPoint(long end, ReadOnlySpan<byte> body, long epoch) => false;

    public void WriteAt(long offset, ReadOnlySpan<byte> bytes) => _bytes.WriteAt(offset, bytes);

    public int ReadAt(long offset, Span<byte> buffer) => _bytes.ReadAt(offset, buffer);

    public void Truncate(long length) => _bytes.Truncate(length);

    public void Sync() => _bytes.Sync();

    public void Dispose() => _bytes.Dispose();
}
