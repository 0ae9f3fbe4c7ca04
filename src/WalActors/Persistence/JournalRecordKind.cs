namespace WalActors.Persistence;

/// <summary>The first byte of every journal record: what the record is, and in which layout.</summary>
internal enum JournalRecordKind : byte
{
    /// <summary>One persisted event (layout 1).</summary>
    Event = 1,

    /// <summary>A durable <c>DeleteMessagesTo</c>: a persistence id's events up to a sequence number are gone (layout 1).</summary>
    Tombstone = 2,
}
