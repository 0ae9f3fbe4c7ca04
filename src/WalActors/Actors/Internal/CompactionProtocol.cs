using Akka.Actor;
using WalActors.Compaction;

namespace WalActors.Actors.Internal;

/// <summary>
/// Asks the log to compact its closed, durable segments (all of them, or those starting at <paramref name="Segments"/>)
/// with <paramref name="IsLive"/> deciding which records survive. Answered with <see cref="SegmentsCompacted"/>, or a
/// <see cref="Status.Failure"/> with the typed error. A store that cannot compact answers with nothing done.
/// </summary>
/// <param name="IsLive">Which records survive; called on the compacting thread.</param>
/// <param name="Segments">The base offsets of the segments to compact, or null for every closed one.</param>
/// <param name="BeforeRename">A test's crash point: called with a segment's base once its compacted file is complete.</param>
/// <param name="BytesPerSecond">The rate the pass scans segments at (<see cref="CompactionPace"/>); 0 for no limit.</param>
internal sealed record CompactSegments(
    RecordLiveness IsLive, IReadOnlyList<long>? Segments = null, Action<long>? BeforeRename = null, long BytesPerSecond = 0);

/// <summary>What a <see cref="CompactSegments"/> did, segment by segment, and the log's bytes on disk after it.</summary>
internal sealed record SegmentsCompacted(IReadOnlyList<SegmentCompaction> Segments, long BytesOnDisk);

/// <summary>A compaction for the retention actor, with whom to answer.</summary>
internal sealed record CompactRequest(CompactSegments Compact, IActorRef ReplyTo);
