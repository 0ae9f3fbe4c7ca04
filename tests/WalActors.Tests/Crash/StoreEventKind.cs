namespace WalActors.Tests.Crash;

/// <summary>What a recorded <see cref="StoreEvent"/> was.</summary>
internal enum StoreEventKind
{
    /// <summary>A write completed: its bytes are in the page cache.</summary>
    Write,

    /// <summary>A barrier began: it covers every write completed so far.</summary>
    BarrierBegan,

    /// <summary>A barrier returned: the writes it covers are durable.</summary>
    BarrierEnded,

    /// <summary>The store was truncated, durably.</summary>
    Truncate,

    /// <summary>
    /// The recovery point was replaced (offset: its LSN, bytes: its body), atomically and durably: the file protocol
    /// (temporary file, fsync, rename, directory fsync) leaves the old one or this one, so this is one step.
    /// </summary>
    RecoveryPoint,

    /// <summary>The test saw the log acknowledge an append: not an operation, a fact about what the client was told.</summary>
    Acknowledged,
}
