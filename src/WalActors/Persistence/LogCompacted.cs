namespace WalActors.Persistence;

/// <summary>What a compaction pass did to a plugin's log.</summary>
/// <param name="BytesBefore">Bytes the log's segment files held before the pass.</param>
/// <param name="BytesAfter">Bytes they hold after it.</param>
/// <param name="SegmentsRewritten">How many segments were rewritten.</param>
/// <param name="RecordsKept">Records of the rewritten segments that survive (at their own LSNs).</param>
/// <param name="RecordsDropped">Dead records the pass removed.</param>
public sealed record LogCompacted(long BytesBefore, long BytesAfter, int SegmentsRewritten, long RecordsKept, long RecordsDropped);
