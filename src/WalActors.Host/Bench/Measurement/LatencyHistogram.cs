using System.Diagnostics;
using System.Numerics;

namespace WalActors.Host.Bench.Measurement;

/// <summary>
/// Latencies in log-linear buckets: exact below 64 ticks, then 64 buckets per power of two (under 1.6% error).
/// Fixed size and allocation-free while recording, so measuring never adds garbage-collection pauses to what it measures.
/// One owner records with <see cref="Record"/>; many threads at once with <see cref="RecordConcurrently"/>.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int SubCount = 1 << SubBits;
    private const int Buckets = (64 - SubBits + 1) * SubCount;
    private readonly long[] _counts = new long[Buckets];

    private long _count;

    public long Count => Volatile.Read(ref _count);

    public void Record(long ticks)
    {
        _counts[Index(Math.Max(0, ticks))]++;
        _count++;
    }

    /// <summary>Records from any thread: one histogram for many producers costs 30 KiB, not 30 KiB per producer.</summary>
    public void RecordConcurrently(long ticks)
    {
        Interlocked.Increment(ref _counts[Index(Math.Max(0, ticks))]);
        Interlocked.Increment(ref _count);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < Buckets; i++)
        {
            _counts[i] += other._counts[i];
        }

        _count += other.Count;
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0..1) in microseconds; NaN when nothing was recorded.</summary>
    public double PercentileMicroseconds(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Midpoint(i) * 1e6 / Stopwatch.Frequency;
            }
        }

        return double.NaN;
    }

    private static int Index(long value)
    {
        if (value < SubCount)
        {
            return (int)value;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var sub = (int)(value >> (exponent - SubBits)) & (SubCount - 1);
        return ((exponent - SubBits + 1) * SubCount) + sub;
    }

    private static double Midpoint(int index)
    {
        if (index < SubCount)
        {
            return index;
        }

        var exponent = (index / SubCount) + SubBits - 1;
        var sub = index % SubCount;
        var width = 1L << (exponent - SubBits);
        var low = (1L << exponent) + (sub * width);
        return low + (width / 2.0);
    }
}
