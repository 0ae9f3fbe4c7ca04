using System.Globalization;
using WalActors.Format;

namespace WalActors.Host.Bench.OpenLoop;

/// <summary>The open-loop rows of the table report: each system's figures beside the physical bound of its row.</summary>
internal static class OpenLoopTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, BenchReport report)
    {
        if (report.OpenLoop.Count == 0)
        {
            return;
        }

        var payload = report.OpenLoop[0].Measured.Payload;
        output.WriteLine();
        output.WriteLine($"open loop, {payload:N0} B payloads ({FrameCodec.FrameSize(payload):N0} B frames): bound = min(sequential bandwidth / frame, " +
            $"{BenchTable.Number(report.BarriersPerSecond)} raw barriers/s x appends in flight; barriers/s is the best of the probes {string.Join('/', report.BarrierProbes.Select(BenchTable.Number))} and the raw loop's 1p rows); latency from each append's scheduled time");
        output.WriteLine("in flight: N producers, one append each; rate: appends offered at a fixed rate, at most the given number waiting");
        output.WriteLine($"{"mode",-9} {"in flight",9} {"offered/s",10}  {"system",-16} {"appends/s",10} {"p50 µs",8} {"p99 µs",8} {"p999 µs",8} {"lag µs",6} " +
            $"{"syncs/s",8} {"batch",7} {"CPU µs/app",10} {"CPU cap/s",10} {"read B/MB",10} {"bound/s",11} {"by",-9} {"of bound",8}");
        foreach (var row in report.OpenLoop)
        {
            var m = row.Measured;
            var saturated = row.KeptUp ? " " : "*";
            output.WriteLine(
                $"{row.Mode,-9} {m.Producers,9:N0} {BenchTable.Number(row.OfferedPerSecond),10}  {m.System,-16} {BenchTable.Number(m.AppendsPerSecond),9}{saturated} " +
                $"{BenchTable.Number(m.P50Microseconds),8} {BenchTable.Number(m.P99Microseconds),8} {BenchTable.Number(m.P999Microseconds),8} {BenchTable.Number(row.SendLagP50Microseconds),6} " +
                $"{BenchTable.Number(m.SyncsPerSecond),8} {m.MeanBatch,7:N1} {m.CpuMicrosecondsPerAppend,10:N2} {BenchTable.Number(row.CpuBound),10} {BenchTable.Number(m.ReadBytesPerMegabyte),10} " +
                $"{BenchTable.Number(row.Bound.AppendsPerSecond),11} {row.Bound.LimitedBy,-9} {row.OfBound.ToString("N3", Invariant),8}" +
                (row.Failed > 0 ? $"  ({row.Failed:N0} failed; first: {row.FirstFailure})" : string.Empty));
        }

        if (report.OpenLoop.Any(r => !r.KeptUp))
        {
            output.WriteLine("* saturated: fewer than 95% of the offered appends/s completed; latency then grows with the backlog");
        }
    }
}
