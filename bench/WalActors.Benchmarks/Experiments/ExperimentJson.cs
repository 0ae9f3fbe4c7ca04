using System.Text.Json;

namespace WalActors.Benchmarks.Experiments;

/// <summary>The experiments' report for machines: <c>{"machine":…,"results":[{"group":…,"method":…,"file":…,"size":…,"appends_per_s":…}, …]}</c>.</summary>
internal static class ExperimentJson
{
    public static void Write(Stream output, ExperimentReport report)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("machine", report.Machine);
        json.WriteString("kernel", report.Kernel);
        json.WriteString("load_at_start", report.LoadAtStart);
        json.WriteString("load_at_end", report.LoadAtEnd);
        json.WriteString("io_uring", report.IoUring);
        json.WriteNumber("file_bytes", report.Settings.FileSize);
        json.WriteNumber("duration_s", report.Settings.Duration.TotalSeconds);
        json.WriteStartArray("results");
        foreach (var row in report.Results)
        {
            json.WriteStartObject();
            json.WriteString("group", row.Group);
            json.WriteString("method", row.Method);
            json.WriteString("file", row.Preparation);
            json.WriteNumber("size", row.Size);
            if (row.Skipped is { } why)
            {
                json.WriteString("skipped", why);
                json.WriteEndObject();
                continue;
            }

            json.WriteNumber("appends", row.Appends);
            Number(json, "seconds", row.Seconds);
            Number(json, "appends_per_s", row.AppendsPerSecond);
            Number(json, "mb_per_s", row.MegabytesPerSecond);
            Number(json, "p50_us", row.P50Microseconds);
            Number(json, "p99_us", row.P99Microseconds);
            Number(json, "p999_us", row.P999Microseconds);
            Number(json, "cpu_us_per_append", row.CpuMicrosecondsPerAppend);
            Number(json, "storage_read_bytes", row.Storage.ReadBytes);
            Number(json, "rusage_read_bytes", row.Storage.InBlockBytes);
            Number(json, "storage_read_bytes_per_mb", row.ReadBytesPerMegabyte);
            Number(json, "prepare_s", row.PrepareSeconds);
            Number(json, "prepare_cpu_s", row.PrepareCpuSeconds);
            Number(json, "prepare_read_bytes", row.PrepareStorage.BestReadBytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
