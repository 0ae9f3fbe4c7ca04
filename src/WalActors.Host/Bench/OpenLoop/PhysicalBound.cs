using WalActors.Format;

namespace WalActors.Host.Bench.OpenLoop;

/// <summary>
/// The most appends per second this disk could make durable in one open-loop row: min(sequential bandwidth ÷ frame
/// size, barriers/s × appends per barrier). Barriers/s is one writer's raw write + fdatasync rate on this disk; appends
/// per barrier is at most what is in flight (the producers, or the rate pacer's limit).
/// </summary>
/// <param name="BandwidthBound">Sequential write bandwidth ÷ the frame size of one append.</param>
/// <param name="BarrierBound">Raw barriers/s × the appends in flight.</param>
internal sealed record PhysicalBound(double BandwidthBound, double BarrierBound)
{
    public double AppendsPerSecond => Math.Min(BandwidthBound, BarrierBound);

    /// <summary>Which term binds: "bandwidth" or "barriers".</summary>
    public string LimitedBy => BandwidthBound <= BarrierBound ? "bandwidth" : "barriers";

    public static PhysicalBound For(double sequentialMegabytesPerSecond, double barriersPerSecond, int payload, long inFlight) => new(
        sequentialMegabytesPerSecond * 1e6 / FrameCodec.FrameSize(payload),
        barriersPerSecond * inFlight);
}
