using System.Text.Json;

namespace WalActors.Host.Bench;

/// <summary>The benchmark's report for machines: <c>{"results":[{"system":…,"producers":…,"payload":…,"appends_per_s":…}, …], …}</c>.</summary>
internal static class BenchJson
{
    public static void Write(Stream output, BenchReport report)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("machine", report.Machine);
        json.WriteString("load_at_start", report.LoadAtStart);
        json.WriteString("load_at_end", report.LoadAtEnd);
        json.WriteNumber("warmup_s", report.Settings.Warmup.TotalSeconds);
        json.WriteNumber("duration_s", report.Settings.Duration.TotalSeconds);
        Number(json, "sequential_write_mb_per_s", report.SequentialWriteMegabytesPerSecond);
        Number(json, "barriers_per_s", report.BarriersPerSecond);
        json.WriteStartArray("barrier_probes_per_s");
        foreach (var probe in report.BarrierProbes)
        {
            json.WriteNumberValue(Math.Round(probe, 3));
        }

        json.WriteEndArray();
        json.WriteString("storage_counters",
            "storage_read_bytes: /proc/self/io read_bytes (counted as reads are sent to the device); rusage_*: getrusage ru_inblock/ru_oublock x 512 (the same kernel counter); " +
            "storage_write_bytes: /proc/self/io write_bytes, counted when page-cache folios are dirtied (a whole large folio for a small write), so it is not device writes; " +
            "major_faults: getrusage ru_majflt, page faults that read a mapped file (the runtime's own code paged in on first use; reads that come with them are not the log's); " +
            "per_mb: per 10^6 B of payload appended");

        json.WriteStartArray("results");
        foreach (var row in report.Results)
        {
            json.WriteStartObject();
            Figures(json, row);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("ratios");
        foreach (var row in report.Results.Where(r => report.Catalog.IsWalActors(r.System)))
        {
            json.WriteStartObject();
            json.WriteString("system", row.System);
            json.WriteNumber("producers", row.Producers);
            json.WriteNumber("payload", row.Payload);
            Number(json, "vs_ideal", BenchTargets.Ratio(report, row.System, SystemNames.Ideal, row.Producers, row.Payload));
            foreach (var peer in report.Catalog.Peers)
            {
                Number(json, $"vs_{peer}", BenchTargets.Ratio(report, row.System, peer, row.Producers, row.Payload));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("open_loop");
        foreach (var row in report.OpenLoop)
        {
            json.WriteStartObject();
            json.WriteString("mode", row.Mode);
            Number(json, "offered_per_s", row.OfferedPerSecond);
            Figures(json, row.Measured);
            Number(json, "send_lag_p50_us", row.SendLagP50Microseconds);
            json.WriteNumber("failed", row.Failed);
            if (row.FirstFailure is { } failure)
            {
                json.WriteString("first_failure", failure);
            }

            Number(json, "cpu_bound_per_s", row.CpuBound);
            Number(json, "bound_per_s", row.Bound.AppendsPerSecond);
            Number(json, "bandwidth_bound_per_s", row.Bound.BandwidthBound);
            Number(json, "barrier_bound_per_s", row.Bound.BarrierBound);
            json.WriteString("bound_by", row.Bound.LimitedBy);
            Number(json, "of_bound", row.OfBound);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("recovery");
        foreach (var row in report.Recovery)
        {
            json.WriteStartObject();
            json.WriteString("system", row.System);
            json.WriteNumber("records", row.Records);
            json.WriteNumber("bytes", row.Bytes);
            Number(json, "seconds", row.Seconds);
            Number(json, "records_per_s", row.RecordsPerSecond);
            Number(json, "gb_per_s", row.GigabytesPerSecond);
            json.WriteString("timed", row.WhatWasTimed);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("targets");
        foreach (var check in BenchTargets.Evaluate(report))
        {
            json.WriteStartObject();
            json.WriteString("target", check.Target);
            Number(json, "actual", check.Actual);
            Number(json, "required", check.Required);
            json.WriteString("unit", check.Unit);
            json.WriteBoolean("met", check.Met);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    // One row's figures; in open-loop rows "producers" is the appends in flight (N, or the rate pacer's limit).
    private static void Figures(Utf8JsonWriter json, ScenarioResult row)
    {
        json.WriteString("system", row.System);
        json.WriteNumber("producers", row.Producers);
        json.WriteNumber("payload", row.Payload);
        json.WriteNumber("appends", row.Appends);
        Number(json, "seconds", row.Seconds);
        Number(json, "appends_per_s", row.AppendsPerSecond);
        Number(json, "mb_per_s", row.MegabytesPerSecond);
        Number(json, "p50_us", row.P50Microseconds);
        Number(json, "p99_us", row.P99Microseconds);
        Number(json, "p999_us", row.P999Microseconds);
        Number(json, "syncs_per_s", row.SyncsPerSecond);
        Number(json, "mean_batch", row.MeanBatch);
        Number(json, "alloc_bytes_per_append", row.AllocatedBytesPerAppend);
        Number(json, "cpu_us_per_append", row.CpuMicrosecondsPerAppend);
        Number(json, "storage_read_bytes", row.Storage.ReadBytes);
        Number(json, "storage_write_bytes", row.Storage.WriteBytes);
        Number(json, "rusage_read_bytes", row.Storage.InBlockBytes);
        Number(json, "rusage_write_bytes", row.Storage.OutBlockBytes);
        Number(json, "major_faults", row.Storage.MajorFaults);
        Number(json, "storage_read_bytes_per_mb", row.ReadBytesPerMegabyte);
        Number(json, "rusage_read_bytes_per_mb", row.Storage.InBlockPerMegabyte(row.AppendedBytes));
        Number(json, "storage_write_bytes_per_mb", row.WriteBytesPerMegabyte);
        Number(json, "background_read_bytes", row.BackgroundReadBytes);
        Number(json, "write_path_read_bytes_per_mb", row.WritePathReadBytesPerMegabyte);
    }

    // JSON has no NaN: a figure that could not be measured (no appends completed) is null.
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
