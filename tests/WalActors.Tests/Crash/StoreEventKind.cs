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

    /// <summary>The test saw the log acknowledge an append: not an operation, a fact about what the client was told.</summary>
    Acknowledged,
}
