using WalActors.Actors.Internal;

namespace WalActors.Tests.Actors;

public sealed class BarrierPolicyTests
{
    private const long Window = 64 * 1024;

    [Fact]
    public void Nothing_starts_while_a_barrier_is_in_flight_after_a_fault_or_when_nothing_waits()
    {
        var policy = Policy(SyncMode.Group);

        Assert.Equal(BarrierStep.None, policy.Next(inFlight: true, faulted: false, appendsWaiting: true, 1, 100, 0).Step);
        Assert.Equal(BarrierStep.None, policy.Next(false, faulted: true, appendsWaiting: true, 1, 100, 0).Step);
        Assert.Equal(BarrierStep.None, policy.Next(false, false, appendsWaiting: false, 0, 100, 0).Step);
    }

    [Fact]
    public void A_waiting_append_starts_a_barrier_over_everything_written()
    {
        var decision = Policy(SyncMode.Group).Next(false, false, appendsWaiting: true, 0, 500, 100);

        Assert.Equal(new BarrierDecision(BarrierStep.Start, 500), decision);
    }

    [Fact]
    public void Half_a_window_of_unsynced_bytes_starts_a_barrier_even_with_nothing_waiting()
    {
        var policy = Policy(SyncMode.Group);

        Assert.Equal(BarrierStep.None, policy.Next(false, false, false, 0, Window / 2 - 1, 0).Step);
        Assert.Equal(BarrierStep.Start, policy.Next(false, false, false, 0, Window / 2, 0).Step);
    }

    [Fact]
    public void A_sync_with_nothing_new_written_is_answered_at_once_without_a_barrier()
    {
        var decision = Policy(SyncMode.Group).Next(false, false, appendsWaiting: false, syncWaiters: 2, 300, 300);

        Assert.Equal(BarrierStep.AnswerWaiters, decision.Step);
    }

    [Fact]
    public void Per_append_mode_covers_only_up_to_the_first_durable_append_waiting_unless_someone_syncs()
    {
        var policy = Policy(SyncMode.PerAppend);

        Assert.Equal(BarrierStep.StartAtFirstUnansweredDurable, policy.Next(false, false, true, 0, 500, 0).Step);
        Assert.Equal(new BarrierDecision(BarrierStep.Start, 500), policy.Next(false, false, true, syncWaiters: 1, 500, 0));
    }

    [Fact]
    public void The_interval_spaces_barrier_starts_on_the_monotonic_clock_but_a_sync_or_a_filling_window_does_not_wait()
    {
        var clock = new ManualClock();
        var policy = new BarrierPolicy(SyncMode.Group, TimeSpan.FromMilliseconds(10), Window, clock);
        Assert.Equal(BarrierStep.Start, policy.Next(false, false, true, 0, 100, 0).Step); // the first barrier never waits
        policy.Started();
        policy.Completed(100, 0, 1);
        clock.Advance(TimeSpan.FromMilliseconds(4));

        Assert.Equal(new BarrierDecision(BarrierStep.WaitForInterval, Delay: TimeSpan.FromMilliseconds(6)), policy.Next(false, false, true, 0, 200, 100));
        Assert.Equal(BarrierStep.Start, policy.Next(false, false, true, syncWaiters: 1, 200, 100).Step);
        Assert.Equal(BarrierStep.Start, policy.Next(false, false, true, 0, 100 + Window / 2, 100).Step);
        clock.Advance(TimeSpan.FromMilliseconds(6));
        Assert.Equal(BarrierStep.Start, policy.Next(false, false, true, 0, 200, 100).Step);
    }

    [Fact]
    public void Group_mode_lingers_for_as_many_bytes_as_the_last_barrier_covered_only_after_it_answered_several_appends()
    {
        var policy = Policy(SyncMode.Group);
        policy.Started();
        policy.Completed(target: 1000, durableEndBefore: 400, acknowledged: 1);
        Assert.Equal(new BarrierDecision(BarrierStep.Start, 1500), policy.Next(false, false, true, 0, 1500, 1000)); // one producer never lingers

        policy.Started();
        policy.Completed(target: 1500, durableEndBefore: 1000, acknowledged: 8);
        Assert.Equal(new BarrierDecision(BarrierStep.Start, 1700, LingerTarget: 2200), policy.Next(false, false, true, 0, 1700, 1500));
        Assert.Equal(0, policy.Next(false, false, true, 0, 1500 + Window / 2, 1500).LingerTarget); // a filling window never lingers
        Assert.Equal(0, Policy(SyncMode.PerAppend, lastAcknowledged: 8).Next(false, false, true, 1, 1700, 1500).LingerTarget);
    }

    [Fact]
    public void Group_mode_does_not_linger_after_a_barrier_that_covered_a_large_batch()
    {
        var policy = Policy(SyncMode.Group);
        const long Large = BarrierPolicy.LingerBytesLimit;
        policy.Started();
        policy.Completed(target: Large, durableEndBefore: 0, acknowledged: 37);
        Assert.Equal(new BarrierDecision(BarrierStep.Start, Large + 4096), policy.Next(false, false, true, 0, Large + 4096, Large));

        policy.Started();
        policy.Completed(target: 2 * Large - 1, durableEndBefore: Large, acknowledged: 37);
        Assert.Equal(3 * Large - 1, policy.Next(false, false, true, 0, 2 * Large, 2 * Large - 1).LingerTarget);
    }

    private static BarrierPolicy Policy(SyncMode mode, long lastAcknowledged = 0)
    {
        var policy = new BarrierPolicy(mode, TimeSpan.Zero, Window, TimeProvider.System);
        policy.Completed(0, 0, lastAcknowledged);
        return policy;
    }

    /// <summary>A monotonic clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
