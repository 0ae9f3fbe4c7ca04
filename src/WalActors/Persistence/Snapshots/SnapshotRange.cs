using Akka.Persistence;

namespace WalActors.Persistence.Snapshots;

/// <summary>A <see cref="SnapshotSelectionCriteria"/> as stored: sequence numbers and times (DateTime.ToBinary), bounds included.</summary>
internal readonly record struct SnapshotRange(long MinSequenceNr, long MaxSequenceNr, long MinTimestamp, long MaxTimestamp)
{
    public static SnapshotRange Of(SnapshotSelectionCriteria criteria) => new(
        criteria.MinSequenceNr,
        criteria.MaxSequenceNr,
        (criteria.MinTimestamp ?? DateTime.MinValue).ToBinary(),
        criteria.MaxTimeStamp.ToBinary());

    public bool Contains(long sequenceNr, long timestamp) =>
        sequenceNr >= MinSequenceNr && sequenceNr <= MaxSequenceNr
        && Ticks(timestamp) >= Ticks(MinTimestamp) && Ticks(timestamp) <= Ticks(MaxTimestamp);

    // Compared as instants in ticks: ToBinary keeps the DateTimeKind, which must survive but not change the order.
    private static long Ticks(long binary) => DateTime.FromBinary(binary).Ticks;
}
