using System.Diagnostics;

namespace WalActors.Compaction;

/// <summary>
/// Holds a compaction pass to a rate of bytes scanned per second, as RocksDB's rate limiter holds its compactions, so
/// the pass leaves the appends their share of the CPU, the collector and the disk. The pass sleeps on its own thread
/// whenever it is ahead of the rate; it never stops, so every pass ends, in at most its bytes divided by the rate plus
/// its own work.
/// </summary>
/// <remarks>
/// Used by one pass on one thread. Credit for time the pass spent not scanning (a segment's final sync and rename) is
/// kept only up to <see cref="Burst"/>, so a pass that paused does not then run unpaced.
/// </remarks>
internal sealed class CompactionPace
{
    /// <summary>Bytes scanned between two looks at the clock, and the most credit a pass may bank.</summary>
    public const long Burst = 256 * 1024;

    private readonly long _bytesPerSecond;
    private readonly Func<TimeSpan> _elapsed;
    private readonly Action<TimeSpan> _wait;
    private long _pending;
    private double _dueSeconds;

    /// <param name="bytesPerSecond">The rate; 0 or less for a pass that is never held back.</param>
    public CompactionPace(long bytesPerSecond)
        : this(bytesPerSecond, ClockFromNow(), Thread.Sleep)
    {
    }

    /// <param name="bytesPerSecond">The rate; 0 or less for a pass that is never held back.</param>
    /// <param name="elapsed">Time since the pass started.</param>
    /// <param name="wait">Blocks the pass's thread for a while.</param>
    internal CompactionPace(long bytesPerSecond, Func<TimeSpan> elapsed, Action<TimeSpan> wait)
    {
        _bytesPerSecond = bytesPerSecond;
        _elapsed = elapsed;
        _wait = wait;
    }

    /// <summary>A pace that never waits (a log no process has open, or a rate of 0).</summary>
    public static CompactionPace Unlimited { get; } = new(0, () => TimeSpan.Zero, _ => { });

    /// <summary>Whether this pace ever waits.</summary>
    public bool IsLimited => _bytesPerSecond > 0;

    private static Func<TimeSpan> ClockFromNow()
    {
        var clock = Stopwatch.StartNew();
        return () => clock.Elapsed;
    }

    /// <summary>Counts <paramref name="bytes"/> more scanned; waits while the pass is ahead of its rate.</summary>
    public void Scanned(long bytes)
    {
        if (_bytesPerSecond <= 0)
        {
            return;
        }

        _pending += bytes;
        if (_pending < Burst)
        {
            return;
        }

        var now = _elapsed().TotalSeconds;
        // Credit left from a pause counts for one burst at most.
        _dueSeconds = Math.Max(_dueSeconds, now - (double)Burst / _bytesPerSecond) + (double)_pending / _bytesPerSecond;
        _pending = 0;
        if (_dueSeconds > now)
        {
            _wait(TimeSpan.FromSeconds(_dueSeconds - now));
        }
    }
}
