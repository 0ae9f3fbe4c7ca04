namespace WalActors.Format;

/// <summary>What a frame is within its atomic unit. Zero is never valid, so zero-filled space never reads as a frame.</summary>
internal enum FrameKind : byte
{
    /// <summary>A record on its own.</summary>
    Full = 1,

    /// <summary>The first record of an atomic batch.</summary>
    First = 2,

    /// <summary>A record inside an atomic batch.</summary>
    Middle = 3,

    /// <summary>The last record of an atomic batch; only with it do the batch's records count.</summary>
    Last = 4,

    /// <summary>
    /// Not a record: the log's own note, written at a clean close with a durable lag of zero, so the next open knows
    /// that everything before it was on stable storage. Readers skip it; it never stands inside an atomic batch.
    /// </summary>
    Marker = 5,

    // 6 is reserved (set aside for compaction, which drops ranges as holes instead and does not use it).

    /// <summary>
    /// Not a record: a consumer's committed position (<see cref="ConsumerCommitCodec"/>). It ends its atomic unit: alone it
    /// is a unit of its own; after a batch's First or Middle frames it is that batch's last frame, so a consumer's output
    /// and its position are written, and survive a crash, together. Readers skip it as they skip markers.
    /// </summary>
    Commit = 7,
}
