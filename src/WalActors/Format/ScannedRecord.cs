namespace WalActors.Format;

/// <summary>A valid frame found by a <see cref="RecordScanner"/>; the payload is valid until the scanner moves on.</summary>
internal readonly record struct ScannedRecord(long Lsn, FrameKind Kind, ReadOnlyMemory<byte> Payload, int FrameSize)
{
    public long End => Lsn + FrameSize;
}
