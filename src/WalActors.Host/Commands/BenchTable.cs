using System.Globalization;
using WalActors.Benchmarks;

namespace WalActors.Host.Commands;

/// <summary>The benchmark's report for people: aligned plain text, one row per system per scenario, then ratios, recovery and targets.</summary>
internal static class BenchTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, BenchReport report)
    {
        output.WriteLine($"walactors bench: {report.Machine}");
        output.WriteLine($"each scenario: {report.Settings.Warmup.TotalSeconds:F1} s warm-up, {report.Settings.Duration.TotalSeconds:F1} s measured; every append awaited as durable");
        output.WriteLine($"disk sequential write + fdatasync (1 MiB writes): {Number(report.SequentialWriteMegabytesPerSecond)} MB/s");
        output.WriteLine();
        output.WriteLine($"{"producers",9} {"payload",7}  {"system",-16} {"appends/s",10} {"MB/s",8} {"p50 us",8} {"p99 us",8} {"p999 us",8} {"syncs/s",8} {"batch",6} {"B/append",8} {"CPU us/app",10}");
        foreach (var group in report.Results.GroupBy(r => (r.Payload, r.Producers)))
        {
            foreach (var row in group.OrderBy(r => SystemOrder(r.System)))
            {
                output.WriteLine(
                    $"{row.Producers,9} {row.Payload,7}  {row.System,-16} {Number(row.AppendsPerSecond),10} {row.MegabytesPerSecond,8:F1} " +
                    $"{Number(row.P50Microseconds),8} {Number(row.P99Microseconds),8} {Number(row.P999Microseconds),8} " +
                    $"{Number(row.SyncsPerSecond),8} {row.MeanBatch,6:F1} {Number(row.AllocatedBytesPerAppend),8} {row.CpuMicrosecondsPerAppend,10:F2}");
            }
        }

        output.WriteLine();
        output.WriteLine($"{"producers",9} {"payload",7}  {"system",-16} {"vs fasterlog",12} {"vs ideal",9}");
        foreach (var row in report.Results.Where(r => r.System.StartsWith("walactors", StringComparison.Ordinal)).OrderBy(r => (r.Payload, r.Producers, SystemOrder(r.System))))
        {
            var fasterlog = BenchTargets.Ratio(report, row.System, SystemNames.FasterLog, row.Producers, row.Payload);
            var ideal = BenchTargets.Ratio(report, row.System, SystemNames.Ideal, row.Producers, row.Payload);
            output.WriteLine($"{row.Producers,9} {row.Payload,7}  {row.System,-16} {Ratio(fasterlog),12} {Ratio(ideal),9}");
        }

        if (report.Recovery.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"recovery of {report.Recovery[0].Records.ToString("N0", Invariant)} records of 128 bytes (warm page cache)");
            output.WriteLine($"{"system",-16} {"MiB",8} {"seconds",8} {"records/s",12} {"GB/s",6}  timed");
            foreach (var row in report.Recovery)
            {
                output.WriteLine($"{row.System,-16} {row.Bytes / (1024.0 * 1024),8:F0} {row.Seconds,8:F3} {Number(row.RecordsPerSecond),12} {row.GigabytesPerSecond,6:F2}  {row.WhatWasTimed}");
            }
        }

        var targets = BenchTargets.Evaluate(report);
        if (targets.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("targets");
            foreach (var check in targets)
            {
                output.WriteLine($"  {(check.Met ? "met   " : "MISSED")}  {check.Target}: {check.Actual.ToString("F2", Invariant)} {check.Unit}");
            }
        }
    }

    private static int SystemOrder(string system)
    {
        var index = SystemNames.All.ToList().IndexOf(system);
        return index < 0 ? int.MaxValue : index;
    }

    private static string Number(double value) => double.IsNaN(value) ? "-" : value.ToString("N0", Invariant);

    private static string Ratio(double value) => double.IsNaN(value) ? "-" : value.ToString("F2", Invariant) + "x";
}
