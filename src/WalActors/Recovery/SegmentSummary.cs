namespace WalActors.Recovery;

/// <summary>
/// What a scan found in the units (records, batches, markers, commits) that start in one segment: where the first one
/// starts and the checksum its first frame carries, how many records they hold, the highest durable end their frames claim.
/// </summary>
/// <remarks>Kept per segment so that dropping leading segments (retention) leaves a prefix equal to a scan from the new head.</remarks>
internal sealed class SegmentSummary(long firstStart, uint firstChecksum)
{
    /// <summary>The LSN of the first unit that starts in the segment: the record start recovery declares for it.</summary>
    public long FirstStart { get; } = firstStart;

    /// <summary>The checksum in the header of the frame at <see cref="FirstStart"/>: a segment holding other bytes there is not this one.</summary>
    public uint FirstChecksum { get; } = firstChecksum;

    /// <summary>The records of the units that start in the segment.</summary>
    public long Records { get; set; }

    /// <summary>The highest durable end the frames of those units claim, or -1 when none claims one.</summary>
    public long DurableEnd { get; set; } = -1;
}
