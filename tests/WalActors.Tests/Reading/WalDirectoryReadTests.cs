using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Reading;

public sealed class WalDirectoryReadTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Reads_every_record_in_order_across_segments_without_modifying_the_log()
    {
        List<(long Lsn, byte[] Payload)> written;
        using (var store = SegmentedStore.Open(LogPath, new SegmentedStoreOptions { SegmentSize = 4096 }))
        {
            written = TestLog.AppendMany(store, 200);
            store.WriteAt(store.Length, [(byte)'W', (byte)'A', 1, 1, 9]); // a torn tail
        }

        var before = Directory.GetFiles(LogPath).ToDictionary(f => f, File.ReadAllBytes);
        var records = WalDirectory.Read(LogPath).ToList();

        Assert.Equal(written.Select(w => w.Lsn), records.Select(r => r.Lsn.Value));
        Assert.Equal(written.Select(w => Convert.ToHexString(w.Payload)), records.Select(r => Convert.ToHexString(r.Payload.Span)));
        Assert.All(records.Zip(records.Skip(1)), pair => Assert.Equal(pair.Second.Lsn, pair.First.Next));
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    [Fact]
    public void Reading_from_an_lsn_starts_there_and_a_position_inside_a_record_is_refused()
    {
        List<(long Lsn, byte[] Payload)> written;
        using (var store = SegmentedStore.Open(LogPath, new SegmentedStoreOptions { SegmentSize = 4096 }))
        {
            written = TestLog.AppendMany(store, 20);
        }

        Assert.Equal(written.Skip(5).Select(w => w.Lsn), WalDirectory.Read(LogPath, new Lsn(written[5].Lsn)).Select(r => r.Lsn.Value));
        Assert.Throws<InvalidLsnException>(() => WalDirectory.Read(LogPath, new Lsn(written[5].Lsn + 8)).ToList());
    }

    [Fact]
    public void An_unfinished_atomic_batch_at_the_tail_is_not_returned()
    {
        long batchStart;
        using (var store = SegmentedStore.Open(LogPath, new SegmentedStoreOptions { SegmentSize = 4096 }))
        {
            batchStart = TestLog.Append(store, 0, [1]);
            var end = TestLog.AppendBatch(store, batchStart, [[2], [3], [4]]);
            store.WriteAt(end - 8, new byte[8]); // the last frame loses its tail
        }

        Assert.Equal(new long[] { 0 }, WalDirectory.Read(LogPath).Select(r => r.Lsn.Value));
    }
}
