namespace WalActors.Persistence.Index;

/// <summary>What one checkpoint adds to the persisted index: written as one atomic batch, so the index is always some checkpoint whole.</summary>
internal sealed class CheckpointBatch(IndexCheckpoint checkpoint)
{
    public IndexCheckpoint Checkpoint { get; set; } = checkpoint;

    /// <summary>Whether the check record is new to this checkpoint, so its CRC is still to be read from the log.</summary>
    public bool CheckCrcPending { get; set; }

    /// <summary>The log bytes indexed since the last checkpoint when this one was taken.</summary>
    public long BytesCovered { get; set; }

    /// <summary>Events: id number, sequence number, LSN, frame length.</summary>
    public List<(int Id, long SequenceNr, long Lsn, int Length)> Events { get; } = [];

    /// <summary>Tagged events: tag number, LSN, id number, sequence number, frame length.</summary>
    public List<(int Tag, long Lsn, int Id, long SequenceNr, int Length)> Tagged { get; } = [];

    /// <summary>
    /// Ids whose state changed, and up to which sequence number their event keys may go (deleted events: never replayed,
    /// so their keys only take room); 0 when none.
    /// </summary>
    public List<(int Number, IdState State, long DropEventsTo)> Ids { get; } = [];

    /// <summary>Events compaction dropped from the log (deleted ones), in runs whose keys go as ranges.</summary>
    public List<DroppedRun> Dropped { get; } = [];

    /// <summary>Tags first met since the last checkpoint.</summary>
    public List<(int Number, string Name)> NewTags { get; } = [];
}
