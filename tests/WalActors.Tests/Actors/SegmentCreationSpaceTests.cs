using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

/// <summary>
/// A full disk when a new segment is needed is waited out, not a fault: nothing of the segment exists yet, so writing
/// again once space returns is safe, and nothing unwritten is ever acknowledged meanwhile.
/// </summary>
public sealed class SegmentCreationSpaceTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task Appends_wait_while_no_segment_can_be_created_and_complete_once_space_returns()
    {
        var store = new NoSpaceForSegmentsStore(new MemStore(), boundary: 4096);
        var client = new WalClient(Sys, StartLog(store));
        await client.Ready;
        var before = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.AppendAsync(Payload(i))));

        store.Full = true;
        var waiting = Enumerable.Range(50, 300).Select(i => client.AppendAsync(Payload(i))).ToArray();
        await AwaitConditionAsync(() => Task.FromResult(store.Refusals >= 3), TimeSpan.FromSeconds(20));
        var durable = (await client.GetStatusAsync()).DurableEnd.Value;
        Assert.True(durable <= 4096, $"durable end {durable} passed the segment that could not be created");
        Assert.All(waiting.Where(t => t.IsCompleted), t => Assert.True(t.Result.Value + 32 <= 4096));
        Assert.Equal(WalState.Ready, (await client.GetStatusAsync()).State);

        store.Full = false;
        var after = await Task.WhenAll(waiting);

        Assert.Equal(350, before.Concat(after).Distinct().Count());
        Assert.Contains(after, lsn => lsn.Value >= 4096);
        Assert.Equal(WalState.Ready, (await client.GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_log_stopped_while_waiting_for_space_answers_the_waiting_appends_as_stopped()
    {
        var store = new NoSpaceForSegmentsStore(new MemStore(), boundary: 4096) { Full = true };
        var log = StartLog(store, SmallLog() with { ShutdownTimeout = TimeSpan.FromSeconds(1) });
        var client = new WalClient(Sys, log);
        await client.Ready;
        var appends = Enumerable.Range(0, 300).Select(i => client.AppendAsync(Payload(i))).ToArray();
        await AwaitConditionAsync(() => Task.FromResult(store.Refusals >= 1), TimeSpan.FromSeconds(20));

        await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(20));

        var outcomes = await Task.WhenAll(appends.Select(async a =>
        {
            try
            {
                return (await a).Value + 32 <= 4096 ? "written before the boundary" : "acknowledged past it";
            }
            catch (WalStoppedException)
            {
                return "stopped";
            }
        }));
        Assert.DoesNotContain("acknowledged past it", outcomes);
        Assert.Contains("stopped", outcomes);
    }

    /// <summary>A store whose "disk" has no room for the segment starting at <c>boundary</c> while <see cref="Full"/>.</summary>
    private sealed class NoSpaceForSegmentsStore(IWalStore inner, long boundary) : IWalStore
    {
        private int _refusals;

        public volatile bool Full;

        public int Refusals => Volatile.Read(ref _refusals);

        public long Length => inner.Length;

        public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
        {
            if (Full && offset + bytes.Length > boundary)
            {
                // As the segmented store does: the part before the boundary lands, the new segment cannot be made.
                if (offset < boundary)
                {
                    inner.WriteAt(offset, bytes[..(int)(boundary - offset)]);
                }

                Interlocked.Increment(ref _refusals);
                throw new WalIOException(SegmentFile.CreatingSegment, "segment", new IOException("No space left on device", 28), isDiskFull: true);
            }

            inner.WriteAt(offset, bytes);
        }

        public int ReadAt(long offset, Span<byte> buffer) => inner.ReadAt(offset, buffer);

        public void Truncate(long length) => inner.Truncate(length);

        public void Sync() => inner.Sync();

        public void Dispose() => inner.Dispose();
    }
}
