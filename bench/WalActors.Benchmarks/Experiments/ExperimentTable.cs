using System.Globalization;

namespace WalActors.Benchmarks.Experiments;

/// <summary>The experiments' report for people: one block per experiment, one row per method, file and size.</summary>
internal static class ExperimentTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(TextWriter output, ExperimentReport report)
    {
        output.WriteLine($"walactors write-path experiments: {report.Machine}");
        output.WriteLine($"kernel {report.Kernel}; io_uring: {report.IoUring}; load average {report.LoadAtStart} at start, {report.LoadAtEnd} at end");
        output.WriteLine($"each row: a fresh {report.Settings.FileSize / (1024.0 * 1024):N0} MiB file, one thread appending for {report.Settings.Duration.TotalSeconds:N1} s " +
            "(less if the file fills); latency = one append's write and barrier");
        output.WriteLine("read B/MB: bytes this process read from storage per MB appended (/proc/self/io); prep: time, CPU and storage reads to make the file");
        foreach (var group in report.Results.GroupBy(r => r.Group))
        {
            output.WriteLine();
            output.WriteLine(group.Key == ExperimentCatalog.WritePath
                ? "write path: each method on the file it is best with (buffered: a cached, written file; direct: a written file)"
                : "preparation: the same append into files made ready in different ways (the read-on-write effect)");
            output.WriteLine($"{"method",-45} {"file",-24} {"size",7} {"appends/s",10} {"MB/s",8} {"p50 µs",7} {"p99 µs",7} {"p999 µs",8} {"CPU µs/app",10} {"read B/MB",10} {"prep s",7} {"prep CPU s",10} {"prep read MB",12}");
            foreach (var row in group)
            {
                var head = $"{row.Method,-45} {row.Preparation,-24} {row.Size,7:N0}";
                if (row.Skipped is { } why)
                {
                    output.WriteLine($"{head} skipped: {why}");
                    continue;
                }

                output.WriteLine($"{head} {Number(row.AppendsPerSecond, "N0"),10} {Number(row.MegabytesPerSecond, "N1"),8} {Number(row.P50Microseconds, "N0"),7} " +
                    $"{Number(row.P99Microseconds, "N0"),7} {Number(row.P999Microseconds, "N0"),8} {Number(row.CpuMicrosecondsPerAppend, "N1"),10} " +
                    $"{Number(row.ReadBytesPerMegabyte, "N0"),10} {Number(row.PrepareSeconds, "N3"),7} {Number(row.PrepareCpuSeconds, "N3"),10} " +
                    $"{Number(row.PrepareStorage.BestReadBytes / 1e6, "N1"),12}");
            }
        }
    }

    private static string Number(double value, string format) => double.IsFinite(value) ? value.ToString(format, Invariant) : "-";
}
