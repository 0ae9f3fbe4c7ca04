namespace WalActors.Format;

/// <summary>A valid frame found by a <see cref="RecordScanner"/>; the payload is valid until the scanner moves on.</summary>
/// <param name="Lsn">Where the frame starts.</param>
/// <param name="Kind">What the frame is within its atomic unit.</param>
/// <param name="Payload">The record's bytes.</param>
/// <param name="FrameSize">The frame's size, header and padding included.</param>
/// <param name="DurableEnd">What its writer knew to be durable when framing it, or -1 for a version 1 frame.</param>
internal readonly record struct ScannedRecord(long Lsn, FrameKind Kind, ReadOnlyMemory<byte> Payload, int FrameSize, long DurableEnd = -1)
{
    public long End => Lsn + FrameSize;

    /// <summary>The whole frame as read (header, payload, padding), valid as long as <see cref="Payload"/>; empty when not known.</summary>
    public ReadOnlyMemory<byte> Frame { get; init; }
}
