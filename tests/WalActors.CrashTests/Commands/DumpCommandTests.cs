using Akka.Actor;
using WalActors.CrashTests.Support;
using WalActors.Tests.Support;

namespace WalActors.CrashTests.Commands;

public sealed class DumpCommandTests : LogDirectoryTest
{
    private string FirstSegment => Path.Combine(LogPath, "00000000000000000000.seg");

    [Fact]
    public async Task Text_shows_printable_payloads_as_text_and_the_rest_as_hex_and_jsonl_carries_every_byte()
    {
        var lsns = await WriteLogAsync([[.. "hello ✓"u8], [.. "tab\tinside"u8], [0xC3, 0x28], []]);

        var (exitCode, text, error) = await WalactorsProcess.RunAsync(Patience, "dump", "--dir", LogPath);
        var (_, records, _) = await Dump.RunAsync(LogPath);

        Assert.True(exitCode == 0, error);
        Assert.Equal(
            [$"{lsns[0]}\t9\ttext\thello ✓", $"{lsns[1]}\t10\thex\t{Convert.ToHexStringLower("tab\tinside"u8)}", $"{lsns[2]}\t2\thex\tc328", $"{lsns[3]}\t0\ttext\t"],
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["68656C6C6F20E29C93", Convert.ToHexString("tab\tinside"u8), "C328", ""], records.Select(r => Convert.ToHexString(r.Payload)));
    }

    [Fact]
    public async Task From_starts_at_a_record_and_a_position_inside_a_record_is_a_usage_error_exit_code_2()
    {
        var lsns = await WriteLogAsync([[1], [2], [3]]);

        var (_, records, _) = await Dump.RunAsync(LogPath, "--from", lsns[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (exitCode, _, error) = await Dump.RunAsync(LogPath, "--from", (lsns[1] + 8).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(lsns[1..], records.Select(r => r.Lsn));
        Assert.Equal(2, exitCode);
        Assert.Contains("not the start of a record", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_torn_tail_is_reported_on_stderr_with_its_lsn_the_records_before_it_printed_exit_code_1_and_nothing_modified()
    {
        var lsns = await WriteLogAsync([[.. "one"u8], [.. "two"u8], [.. "three"u8]]);
        var end = lsns[^1] + 24;

        // As a crash would leave it: no close marker and no clean close in the manifest, so the bytes after the last
        // record are a tail that may be torn.
        WriteInto(FirstSegment, end, new byte[16]);
        var manifest = Path.Combine(LogPath, "walactors.meta");
        File.WriteAllLines(manifest, File.ReadAllLines(manifest).Where(line => !line.StartsWith("closed-at ", StringComparison.Ordinal)));
        WriteInto(FirstSegment, end, [(byte)'W', (byte)'A', 1, 1, 200, 0, 0, 0, 9, 9]);
        var before = Directory.GetFiles(LogPath).ToDictionary(f => f, File.ReadAllBytes);

        var (exitCode, records, error) = await Dump.RunAsync(LogPath);

        Assert.Equal(1, exitCode);
        Assert.Equal(lsns, records.Select(r => r.Lsn));
        Assert.Contains($"torn tail at LSN {end}", error, StringComparison.Ordinal);
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    [Fact]
    public async Task Damage_is_reported_on_stderr_with_its_lsn_after_the_records_before_it_with_exit_code_3()
    {
        var payloads = Enumerable.Range(0, 2000).Select(i => new byte[100].Select(_ => (byte)(i % 250 + 1)).ToArray()).ToList();
        var lsns = await WriteLogAsync(payloads);
        WriteInto(FirstSegment, lsns[10] + 16, [0]);

        var (exitCode, records, error) = await Dump.RunAsync(LogPath);

        Assert.Equal(3, exitCode);
        Assert.Equal(lsns.Take(10), records.Select(r => r.Lsn));
        Assert.Contains($"DAMAGE at LSN {lsns[10]}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_that_holds_no_log_is_refused_with_one_line_and_exit_code_4()
    {
        Directory.CreateDirectory(LogPath);

        var (exitCode, output, error) = await WalactorsProcess.RunAsync(Patience, "dump", "--dir", LogPath);

        Assert.Equal(4, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("walactors: error:", error, StringComparison.Ordinal);
        Assert.Contains("not a WalActors log", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Writes a log through the library with a small in-flight window (128 KiB, remembered in its manifest), so that a
    /// little data beyond a bad record proves damage; returns the records' LSNs.
    /// </summary>
    private async Task<long[]> WriteLogAsync(IReadOnlyList<byte[]> payloads)
    {
        var options = new WalOptions
        {
            Directory = LogPath,
            SegmentSize = 1024 * 1024,
            MaxRecordSize = 16 * 1024,
            MaxBatchSize = 64 * 1024,
            WriterBatchSize = 16 * 1024,
            MaxUnsyncedBytes = 128 * 1024,
        };
        using var system = ActorSystem.Create("dump-tests", Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(WalConfig.Defaults));
        var log = WriteAheadLog.Start(system, options);
        var client = new WalClient(system, log);
        var lsns = await Task.WhenAll(payloads.Select(p => client.AppendAsync(p)));
        await WriteAheadLog.StopAsync(log, Patience);
        await system.Terminate();
        return lsns.Select(l => l.Value).ToArray();
    }

    private static void WriteInto(string file, long offset, byte[] bytes)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(bytes);
    }
}
