namespace WalActors;

/// <summary>How durability barriers are scheduled.</summary>
public enum SyncMode
{
    /// <summary>Group commit: one barrier in flight at a time, covering every append written before it began. The default.</summary>
    Group = 0,

    /// <summary>One barrier per durable append, never shared: the slow, simple baseline.</summary>
    PerAppend = 1,

    /// <summary>
    /// No barriers for appends: a <see cref="Durability.Durable"/> append is acknowledged once written, so it survives a
    /// process crash but not a power loss. An explicit <see cref="Sync"/> still issues a real barrier.
    /// </summary>
    None = 2,
}
