using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Reading;

public sealed class WalDirectoryInspectTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private WalOptions Options => new()
    {
        Directory = _directory.Combine("log"),
        SegmentSize = 64 * 1024,
        MaxRecordSize = 16 * 1024,
        MaxBatchSize = 64 * 1024,
        WriterBatchSize = 16 * 1024,
        MaxUnsyncedBytes = 128 * 1024,
    };

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Damage_in_a_log_written_with_a_small_window_is_reported_as_damage_as_opening_it_would_refuse_it()
    {
        List<(long Lsn, byte[] Payload)> records;
        using (var store = LogOpener.OpenStore(Options.Directory, Options.SegmentSize))
        {
            LogOpener.Recover(store, Options.ToRecoveryOptions(), Options.Directory);
            records = TestLog.AppendMany(store, 2000, maxLength: 200);
            store.WriteAt(records[10].Lsn + FrameCodec.HeaderSize, [0xFF]);
        }

        var inspection = WalDirectory.Inspect(Options.Directory);

        Assert.Equal(LogTail.Damaged, inspection.Tail);
        Assert.Equal(records[10].Lsn, inspection.End.Value);
        using var reopened = LogOpener.OpenStore(Options.Directory, Options.SegmentSize);
        Assert.Equal(records[10].Lsn, Assert.Throws<LogDamagedException>(() => LogOpener.Recover(reopened, Options.ToRecoveryOptions(), Options.Directory)).Lsn);
    }

    [Fact]
    public void A_torn_tail_is_reported_as_torn_with_its_lsn_and_nothing_is_modified()
    {
        long end;
        using (var store = LogOpener.OpenStore(Options.Directory, Options.SegmentSize))
        {
            LogOpener.Recover(store, Options.ToRecoveryOptions(), Options.Directory);
            var last = TestLog.AppendMany(store, 50)[^1];
            end = last.Lsn + FrameCodec.FrameSize(last.Payload.Length);
            store.WriteAt(end, [(byte)'W', (byte)'A', 1, 1, 200, 0, 0, 0, 9, 9]);
        }

        var before = Directory.GetFiles(Options.Directory).ToDictionary(f => f, File.ReadAllBytes);
        var inspection = WalDirectory.Inspect(Options.Directory);

        Assert.Equal(LogTail.Torn, inspection.Tail);
        Assert.Equal(end, inspection.End.Value);
        Assert.Equal(50, inspection.RecordCount);
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }
}
