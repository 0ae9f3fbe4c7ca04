namespace WalActors.Host.Bench;

/// <summary>What a system is in the comparison: the figures a WalActors row is held against depend on it.</summary>
internal enum BenchRole
{
    /// <summary>What the disk itself allows: the raw fdatasync loop and the ideal group-commit loops.</summary>
    Baseline,

    /// <summary>WalActors, through one of its APIs.</summary>
    WalActors,

    /// <summary>Another log, run only by the peer comparison in <c>bench/WalActors.Benchmarks</c>.</summary>
    Peer,
}
