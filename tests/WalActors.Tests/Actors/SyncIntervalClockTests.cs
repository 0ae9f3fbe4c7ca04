using System.Diagnostics;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class SyncIntervalClockTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task Barrier_spacing_follows_a_monotonic_clock_so_a_wall_clock_stepped_back_does_not_stall_durable_appends()
    {
        var interval = TimeSpan.FromMilliseconds(50);
        var store = new InstrumentedStore();
        var client = new WalClient(Sys, StartLog(store, SmallLog() with { SyncInterval = interval, Clock = new SteppingBackClock() }));
        await client.Ready;

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            // Each waits for its own barrier, and barriers start at least the interval apart: >= 9 intervals in all.
            await client.AppendAsync(Payload(i)).WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.True(clock.Elapsed >= 9 * interval, clock.Elapsed.ToString());
        Assert.InRange(store.Syncs, 10, 11);
    }

    /// <summary>A wall clock that jumps a day back every time it is read; its timestamps still run forward.</summary>
    private sealed class SteppingBackClock : TimeProvider
    {
        private long _reads;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() - TimeSpan.FromDays(Interlocked.Increment(ref _reads));
    }
}
