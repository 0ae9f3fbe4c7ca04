namespace WalActors.Compaction;

/// <summary>What compacting one segment did.</summary>
/// <param name="BaseOffset">The segment's base offset.</param>
/// <param name="Replaced">Whether the segment's file was replaced (false when nothing could be dropped, or the segment went away meanwhile).</param>
/// <param name="BytesBefore">Bytes the segment's file held before.</param>
/// <param name="BytesAfter">Bytes it holds now.</param>
/// <param name="RecordsKept">Records of the segment that survive.</param>
/// <param name="RecordsDropped">Records the liveness test said were dead, and which are gone.</param>
internal sealed record SegmentCompaction(long BaseOffset, bool Replaced, long BytesBefore, long BytesAfter, long RecordsKept, long RecordsDropped);
