namespace WalActors.Host.Bench.OpenLoop;

/// <summary>One system in one open-loop row.</summary>
/// <param name="Mode"><see cref="InFlight"/> (N producers, each with one append in flight) or <see cref="Rate"/> (a fixed offered rate).</param>
/// <param name="OfferedPerSecond">The rate offered (rate mode); NaN for in-flight rows, which take whatever the system answers.</param>
/// <param name="Measured">What was measured; its Producers is N (in-flight) or the most appends the pacer lets wait (rate).</param>
/// <param name="SendLagP50Microseconds">Rate mode: median lateness of the pacer's sends after their scheduled time (included in the latency).</param>
/// <param name="Failed">Appends answered with a failure (none expected).</param>
/// <param name="Bound">What the disk allows for this row.</param>
/// <param name="FirstFailure">Why the first failed append failed, if one did.</param>
internal sealed record OpenLoopResult(string Mode, double OfferedPerSecond, ScenarioResult Measured, double SendLagP50Microseconds, long Failed, PhysicalBound Bound, string? FirstFailure = null)
{
    public const string InFlight = "in-flight";
    public const string Rate = "rate";

    /// <summary>Achieved appends/s over the physical bound.</summary>
    public double OfBound => Measured.AppendsPerSecond / Bound.AppendsPerSecond;

    /// <summary>Appends/s the process could reach if both (all) cores did nothing but this, at the CPU per append it showed.</summary>
    public double CpuBound => Environment.ProcessorCount * 1e6 / Measured.CpuMicrosecondsPerAppend;

    /// <summary>Rate mode: whether the system kept up with the offered rate (within 5%).</summary>
    public bool KeptUp => double.IsNaN(OfferedPerSecond) || Measured.AppendsPerSecond >= 0.95 * OfferedPerSecond;
}
