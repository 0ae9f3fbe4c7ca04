namespace WalActors;

/// <summary>When an append is acknowledged.</summary>
public enum Durability
{
    /// <summary>After a durability barrier that covers the record and everything before it: survives a power loss. The default.</summary>
    Durable = 0,

    /// <summary>After the record and everything before it are written to the operating system: survives a process crash, not a power loss.</summary>
    Written = 1,
}
