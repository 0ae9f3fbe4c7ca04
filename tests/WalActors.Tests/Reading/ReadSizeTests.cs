using WalActors.Format;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Reading;

/// <summary>A read asks the store for about what it needs: one record is not a megabyte of reading.</summary>
public sealed class ReadSizeTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task Reading_one_record_of_a_large_log_reads_kilobytes_not_a_megabyte()
    {
        var store = new CountingStore(new MemStore());
        var client = new WalClient(Sys, StartLog(store));
        var lsns = await Task.WhenAll(Enumerable.Range(0, 20_000).Select(i => client.AppendAsync(Payload(i))));
        var before = store.BytesRead;

        var page = await client.ReadAsync(lsns[500], 1);

        Assert.Equal(lsns[500], Assert.Single(page.Records).Lsn);
        Assert.InRange(store.BytesRead - before, 1, 16 * 1024);
    }

    [Fact]
    public void A_scan_starting_small_still_reaches_its_full_read_size()
    {
        var store = new CountingStore(new MemStore());
        TestLog.AppendMany(store, 40_000, maxLength: 100);
        using var scanner = new RecordScanner(store, 0, store.Length, TestLog.MaxRecordSize, bufferSize: 1024 * 1024, initialReadSize: 4096);
        var count = 0;
        while (scanner.Next(out _) == ScanStatus.Record)
        {
            count++;
        }

        Assert.Equal(40_000, count);
        Assert.True(store.LargestRead > 1000 * 1024, $"largest read {store.LargestRead} bytes");
        Assert.True(store.Reads < 20, $"{store.Reads} reads for {store.Length} bytes");
    }

    private sealed class CountingStore(IWalStore inner) : IWalStore
    {
        private long _bytesRead;

        public long BytesRead => Interlocked.Read(ref _bytesRead);

        public int LargestRead { get; private set; }

        public int Reads { get; private set; }

        public long Length => inner.Length;

        public void WriteAt(long offset, ReadOnlySpan<byte> bytes) => inner.WriteAt(offset, bytes);

        public int ReadAt(long offset, Span<byte> buffer)
        {
            var read = inner.ReadAt(offset, buffer);
            Interlocked.Add(ref _bytesRead, read);
            LargestRead = Math.Max(LargestRead, buffer.Length);
            Reads++;
            return read;
        }

        public void Truncate(long length) => inner.Truncate(length);

        public void Sync() => inner.Sync();

        public void Dispose() => inner.Dispose();
    }
}
