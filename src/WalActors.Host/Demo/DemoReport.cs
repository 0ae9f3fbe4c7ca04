using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Demo;

/// <summary>What the demo prints after its workload: throughput, latency, barriers, writes and the log's positions.</summary>
internal static class DemoReport
{
    public static void Write(TextWriter output, DemoRecorder recorder, TimeSpan elapsed, WalStatus before, WalStatus after, int producers, int payloadSize)
    {
        var appends = after.Counters.Appends - before.Counters.Appends;
        var barriers = after.Counters.Barriers - before.Counters.Barriers;
        var writes = after.Counters.Writes - before.Counters.Writes;
        var seconds = elapsed.TotalSeconds;
        output.WriteLine($"workload:       {producers:N0} producer actors, {payloadSize:N0} B payloads, every append durable, {seconds:N1} s");
        output.WriteLine($"appends/s:      {appends / seconds:N0}  ({appends:N0} acknowledged, {recorder.Failed:N0} failed)");
        output.WriteLine($"latency:        p50 {Micros(recorder.Latencies, 0.50)} µs, p99 {Micros(recorder.Latencies, 0.99)} µs");
        output.WriteLine($"barriers:       {barriers:N0} ({barriers / seconds:N0}/s), {(barriers == 0 ? 0 : (double)appends / barriers):N1} appends per barrier");
        output.WriteLine($"writes:         {writes:N0}, {(writes == 0 ? 0 : (double)appends / writes):N1} appends per positioned write");
        output.WriteLine($"log:            head LSN {after.Head}, durable end LSN {after.DurableEnd}");
    }

    private static string Micros(LatencyHistogram latencies, double quantile) =>
        latencies.Count == 0 ? "-" : latencies.PercentileMicroseconds(quantile).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
