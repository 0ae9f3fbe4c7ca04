using System.Globalization;
using WalActors.Host.Bench.OpenLoop;

namespace WalActors.Host.Bench;

/// <summary>The benchmark's report for people: aligned plain text, one row per system per scenario, then ratios, recovery and targets.</summary>
internal static class BenchTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, BenchReport report)
    {
        output.WriteLine($"walactors bench: {report.Machine}");
        output.WriteLine($"load average: {report.LoadAtStart} at start, {report.LoadAtEnd} at end");
        output.WriteLine($"each scenario: {report.Settings.Warmup.TotalSeconds:F1} s warm-up, {report.Settings.Duration.TotalSeconds:F1} s measured; every append awaited as durable");
        output.WriteLine($"disk sequential write + fdatasync (1 MiB writes): {Number(report.SequentialWriteMegabytesPerSecond)} MB/s");
        output.WriteLine();
        output.WriteLine("read B/MB: bytes the process read from storage (not the page cache) per MB appended, /proc/self/io read_bytes; target <= 10,000 (1%);");
        output.WriteLine("on path: the same without what a system read off its write path (only a warming what-if does)");
        output.WriteLine();
        output.WriteLine($"{"producers",9} {"payload",7}  {"system",-16} {"appends/s",10} {"MB/s",8} {"p50 µs",8} {"p99 µs",8} {"p999 µs",8} {"syncs/s",8} {"batch",6} {"B/append",8} {"CPU µs/app",10} {"read B/MB",10} {"on path",9}");
        foreach (var group in report.Results.GroupBy(r => (r.Payload, r.Producers)))
        {
            foreach (var row in group.OrderBy(r => SystemOrder(report, r.System)))
            {
                output.WriteLine(
                    $"{row.Producers,9:N0} {row.Payload,7:N0}  {row.System,-16} {Number(row.AppendsPerSecond),10} {row.MegabytesPerSecond,8:N1} " +
                    $"{Number(row.P50Microseconds),8} {Number(row.P99Microseconds),8} {Number(row.P999Microseconds),8} " +
                    $"{Number(row.SyncsPerSecond),8} {row.MeanBatch,6:N1} {Number(row.AllocatedBytesPerAppend),8} {row.CpuMicrosecondsPerAppend,10:N2} " +
                    $"{Number(row.ReadBytesPerMegabyte),10} {Number(row.WritePathReadBytesPerMegabyte),9}");
            }
        }

        var others = new[] { SystemNames.Ideal }.Concat(report.Catalog.Peers).ToArray();
        output.WriteLine();
        output.WriteLine($"{"producers",9} {"payload",7}  {"system",-16}" + string.Concat(others.Select(o => $" {"vs " + o,12}")));
        foreach (var row in report.Results.Where(r => report.Catalog.IsWalActors(r.System)).OrderBy(r => (r.Payload, r.Producers, SystemOrder(report, r.System))))
        {
            var ratios = others.Select(o => BenchTargets.Ratio(report, row.System, o, row.Producers, row.Payload));
            output.WriteLine($"{row.Producers,9:N0} {row.Payload,7:N0}  {row.System,-16}" + string.Concat(ratios.Select(r => $" {Ratio(r),12}")));
        }

        OpenLoopTable.Write(output, report);

        if (report.Recovery.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"recovery of {report.Recovery[0].Records.ToString("N0", Invariant)} records of 128 bytes (warm page cache)");
            output.WriteLine($"{"system",-16} {"MiB",8} {"seconds",8} {"records/s",12} {"GB/s",6}  timed");
            foreach (var row in report.Recovery)
            {
                output.WriteLine($"{row.System,-16} {row.Bytes / (1024.0 * 1024),8:N0} {row.Seconds,8:N3} {Number(row.RecordsPerSecond),12} {row.GigabytesPerSecond,6:N2}  {row.WhatWasTimed}");
            }
        }

        var targets = BenchTargets.Evaluate(report);
        if (targets.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("the project's targets");
            foreach (var check in targets)
            {
                output.WriteLine($"  {(check.Met ? "met   " : "MISSED")}  {check.Target}: {check.Actual.ToString("N2", Invariant)} {check.Unit}");
            }
        }
    }

    private static int SystemOrder(BenchReport report, string system)
    {
        var index = report.Catalog.Names.ToList().IndexOf(system);
        return index < 0 ? int.MaxValue : index;
    }

    internal static string Number(double value) => double.IsNaN(value) ? "-" : value.ToString("N0", Invariant);

    private static string Ratio(double value) => double.IsNaN(value) ? "-" : value.ToString("N2", Invariant) + "x";
}
