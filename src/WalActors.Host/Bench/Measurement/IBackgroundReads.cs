namespace WalActors.Host.Bench.Measurement;

/// <summary>
/// A system under test that itself reads from storage off the write path (a what-if that warms segments ahead of the
/// writers): its reads are counted in the process's storage traffic, and reported apart so the row can say what the
/// write path alone read.
/// </summary>
internal interface IBackgroundReads
{
    /// <summary>Bytes read from storage so far by the system's own background work, not by its writes.</summary>
    double BackgroundReadBytes { get; }
}
