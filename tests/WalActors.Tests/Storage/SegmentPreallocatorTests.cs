using WalActors.Storage;

namespace WalActors.Tests.Storage;

public sealed class SegmentPreallocatorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Segments_are_created_on_a_named_thread_of_their_own_not_a_thread_pool_thread()
    {
        var created = new TaskCompletionSource<(long Position, bool Pool, string? Name)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var preallocator = new SegmentPreallocator(
            position => created.TrySetResult((position, Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name)), null, "precreate-test");

        preallocator.Request(4096);

        Assert.Equal((4096L, false, "precreate-test"), await created.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_failed_creation_is_reported_and_kept_and_the_thread_goes_on_serving_requests()
    {
        var failure = new WalIOException("creating a segment file", "/log/00000000000000008192", new IOException("No space left on device"), isDiskFull: true);
        var reported = new TaskCompletionSource<(long, Exception)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var preallocator = new SegmentPreallocator(
            position => { if (position == 8192) { throw failure; } served.TrySetResult(position); },
            (position, e) => reported.TrySetResult((position, e)),
            "precreate-test");

        preallocator.Request(8192);
        var (position, error) = await reported.Task.WaitAsync(Patience);
        preallocator.Request(16384);

        Assert.Equal(8192, position);
        Assert.Same(failure, error);
        Assert.Same(failure, preallocator.LastFailure);
        Assert.Equal(16384, await served.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Dispose_waits_for_the_creation_in_progress_and_later_requests_are_ignored()
    {
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var finished = false;
        var calls = 0;
        var preallocator = new SegmentPreallocator(_ =>
        {
            Interlocked.Increment(ref calls);
            started.Set();
            gate.Wait(Patience);
            Volatile.Write(ref finished, true);
        }, null, "precreate-test");
        preallocator.Request(0);
        Assert.True(started.Wait(Patience));

        var disposing = Task.Run(() =>
        {
            preallocator.Dispose();
            return Volatile.Read(ref finished);
        });
        Assert.True(SpinWait.SpinUntil(() => preallocator.IsStopping, Patience));
        gate.Set();

        Assert.True(await disposing, "Dispose returned while a segment was still being created");
        preallocator.Request(4096);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task A_request_made_before_Dispose_is_served_before_Dispose_returns()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var served = new List<long>();
        var preallocator = new SegmentPreallocator(position =>
        {
            started.Set();
            gate.Wait(Patience);
            lock (served)
            {
                served.Add(position);
            }
        }, null, "precreate-test");
        preallocator.Request(0);
        Assert.True(started.Wait(Patience));
        preallocator.Request(4096); // waits behind the creation in progress

        var disposing = Task.Run(preallocator.Dispose);
        Assert.True(SpinWait.SpinUntil(() => preallocator.IsStopping, Patience));
        gate.Set();
        await disposing;

        Assert.Equal([0L, 4096], served);
    }

    [Fact]
    public void A_store_that_closes_while_it_creates_a_segment_ahead_leaves_every_segment_whole_and_no_thread_behind()
    {
        using var directory = new Support.TempDirectory();
        var store = SegmentedStore.Open(directory.Combine("log"), 64 * 1024);
        store.WriteAt(0, new byte[40 * 1024]); // past half of the first segment: the second is created ahead

        store.Dispose();

        Assert.False(store.Preallocator.IsBusy);
        Assert.Empty(Directory.EnumerateFiles(directory.Combine("log"), "*.tmp"));
        Assert.All(Directory.EnumerateFiles(directory.Combine("log"), "0*"), f => Assert.Equal(64 * 1024, new FileInfo(f).Length));
        using var reopened = SegmentedStore.Open(directory.Combine("log"));
    }
}
