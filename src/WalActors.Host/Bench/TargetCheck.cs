namespace WalActors.Host.Bench;

/// <summary>One performance target and whether this run met it.</summary>
/// <param name="Target">What is required, in words (for example "64p 128B walactors-client >= 1.0x ideal").</param>
/// <param name="Actual">The measured figure (a ratio, MB/s or GB/s, as <paramref name="Unit"/> says).</param>
/// <param name="Required">The bound it is checked against.</param>
/// <param name="Unit">The unit of both figures.</param>
/// <param name="AtMost">True when the figure must stay at or below the bound (latency), false when at or above it.</param>
internal sealed record TargetCheck(string Target, double Actual, double Required, string Unit, bool AtMost)
{
    /// <summary>Whether the target was met; a figure that could not be measured (NaN) is not.</summary>
    public bool Met => !double.IsNaN(Actual) && (AtMost ? Actual <= Required : Actual >= Required);
}
