using System.Text.Json;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Reading;

/// <summary>Salvage keeps the valid prefix and never throws away a valid record silently: what follows damage is exported.</summary>
public sealed class WalDirectorySalvageTests(ITestOutputHelper output) : WalTestKit(output)
{
    private const int Records = 300;
    private const int Damaged = 120;

    [Fact]
    public async Task Salvage_cuts_at_the_damage_and_exports_every_valid_record_after_it()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("log");
        var lsns = await WriteAndClose(path);
        Flip(path, lsns[Damaged] + 20);

        var report = WalDirectory.Salvage(path);

        Assert.Equal(lsns[Damaged], report.SalvagedDamageAt);
        Assert.Equal(Damaged, report.RecordCount);
        Assert.Equal(Records - Damaged - 1, report.SalvagedRecordCount);
        var exported = ReadExport(report.SalvageFile!);
        Assert.Equal(lsns.Skip(Damaged + 1), exported.Select(e => e.Lsn));
        Assert.All(exported, e => Assert.Equal(Payload(lsns.IndexOf(e.Lsn)), e.Payload));

        // The salvaged log opens strictly, with the prefix, and takes appends after it.
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, SmallLog(path), "salvaged"));
        var reopened = await client.Ready;
        Assert.Equal(Damaged, reopened.RecordCount);
        Assert.Equal(lsns[Damaged], (await client.AppendAsync(Payload(9999))).Value);
    }

    [Fact]
    public async Task Salvage_to_another_directory_leaves_the_damaged_log_exactly_as_it_was()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("log");
        var lsns = await WriteAndClose(path);
        Flip(path, lsns[Damaged] + 20);
        var before = Directory.GetFiles(path).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes);

        var report = WalDirectory.Salvage(path, directory.Combine("rescued"));

        Assert.Equal(before, Directory.GetFiles(path).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes));
        Assert.Equal(Damaged, report.RecordCount);
        Assert.StartsWith(directory.Combine("rescued"), report.SalvageFile, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => WalDirectory.Salvage(path, directory.Combine("rescued")));
    }

    [Fact]
    public async Task Salvage_of_a_log_with_a_missing_middle_segment_keeps_what_precedes_it_and_sets_the_rest_aside()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("log");
        var options = SmallLog(path) with { SegmentSize = 4096 };
        var lsns = await WriteAndClose(path, options);
        var later = Directory.GetFiles(path, "*.seg").Order().Skip(2).Select(Path.GetFileName).ToArray();
        File.Delete(Path.Combine(path, SegmentFileNames.For(4096)));

        var report = WalDirectory.Salvage(path);

        Assert.Equal(lsns.Count(l => l + 32 <= 4096), report.RecordCount);
        Assert.Equal(later, Directory.GetFiles(Path.Combine(path, "salvaged-segments")).Select(Path.GetFileName).Order());
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, options, "after-gap"));
        Assert.Equal(report.RecordCount, (await client.Ready).RecordCount);
    }

    [Fact]
    public async Task The_salvage_recovery_policy_of_a_running_log_exports_too_and_says_where()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("log");
        var lsns = await WriteAndClose(path);
        Flip(path, lsns[Damaged] + 20);

        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, SmallLog(path) with { RecoveryPolicy = RecoveryPolicy.Salvage }, "policy"));
        var report = await client.Ready;

        Assert.Equal(lsns[Damaged], report.SalvagedDamageAt);
        Assert.Equal(Records - Damaged - 1, ReadExport(report.SalvageFile!).Count);
        Assert.Contains("exported to", report.ToString(), StringComparison.Ordinal);
    }

    private async Task<List<long>> WriteAndClose(string path, WalOptions? options = null)
    {
        var log = WriteAheadLog.Start(Sys, options ?? SmallLog(path), "writer-" + Guid.NewGuid().ToString("N")[..6]);
        var client = new WalClient(Sys, log);
        var lsns = new List<long>();
        for (var i = 0; i < Records; i++)
        {
            lsns.Add((await client.AppendAsync(Payload(i))).Value);
        }

        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));
        return lsns;
    }

    private static void Flip(string path, long lsn)
    {
        using var store = SegmentedStore.OpenReadOnly(path);
        var segmentSize = store.SegmentSize;
        using var file = new FileStream(Path.Combine(path, SegmentFileNames.For(lsn / segmentSize * segmentSize)), FileMode.Open, FileAccess.ReadWrite);
        file.Position = lsn % segmentSize;
        var value = file.ReadByte();
        file.Position = lsn % segmentSize;
        file.WriteByte((byte)(value ^ 0x04));
    }

    private static List<(long Lsn, byte[] Payload)> ReadExport(string file) =>
        File.ReadAllLines(file)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (e.GetProperty("lsn").GetInt64(), Convert.FromBase64String(e.GetProperty("payload").GetString()!)))
            .ToList();
}
