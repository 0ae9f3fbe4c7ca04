using Akka.Actor;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WalActors.Hosting;
using WalActors.Persistence;
using WalActors.Tests.Persistence;
using Xunit.Abstractions;

namespace WalActors.Tests.Projections;

/// <summary>
/// Projections restarted mid-stream in every mode: the handler fails part-way through a group of events (as a crash
/// would leave it), and the next start shows what the mode promises about handled events and written outputs.
/// </summary>
public sealed class ProjectionTests(ITestOutputHelper output) : JournalTestKit(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Exactly_once_writes_each_events_output_once_across_a_failure_mid_group_and_a_restart()
    {
        WriteTagged("t", 0, 50);
        var options = new WalProjectionOptions { Mode = ProjectionMode.ExactlyOnce, CommitEvery = 7 };
        var handler = new RecordingHandler("out");
        await RunUntilCaughtUpAsync(Sys, "exact", handler, options);

        WriteTagged("t", 50, 30);
        var failing = new RecordingHandler("out", failAt: "e-63");
        var failed = WalProjection.Start(Sys, "exact", ProjectionQuery.ByTag("t"), failing, options);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed.Completion.WaitAsync(Patience));
        Assert.Contains("e-63", error.Message, StringComparison.Ordinal);

        await RunUntilCaughtUpAsync(Sys, "exact", handler, options);

        // The handler saw some events twice (the failed group), but the journal holds each output exactly once, in order.
        Assert.True(handler.Handled.Count + failing.Handled.Count > 80, "no event was handled again: the failure proved nothing");
        Assert.Equal(Enumerable.Range(0, 80).Select(i => $"out:e-{i}"), await OutputsAsync(Sys, "out"));
    }

    [Fact]
    public async Task At_least_once_handles_every_event_after_a_failure_some_of_them_twice()
    {
        WriteTagged("t", 0, 40);
        var options = new WalProjectionOptions { Mode = ProjectionMode.AtLeastOnce, CommitEvery = 5 };
        var failing = new RecordingHandler("out", failAt: "e-23");
        await Assert.ThrowsAsync<InvalidOperationException>(() => WalProjection.Start(Sys, "least", ProjectionQuery.ByTag("t"), failing, options).Completion.WaitAsync(Patience));
        var handler = new RecordingHandler("out");
        await RunUntilCaughtUpAsync(Sys, "least", handler, options);

        var handled = failing.Handled.Concat(handler.Handled).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"e-{i}"), handled.Distinct());
        Assert.Contains(handled.GroupBy(h => h), g => g.Count() > 1);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"out:e-{i}"), (await OutputsAsync(Sys, "out")).Distinct());
    }

    [Fact]
    public async Task At_most_once_never_handles_an_event_twice_and_skips_the_rest_of_the_group_that_failed()
    {
        WriteTagged("t", 0, 40);
        var options = new WalProjectionOptions { Mode = ProjectionMode.AtMostOnce, CommitEvery = 5 };
        var failing = new RecordingHandler("out", failAt: "e-22");
        await Assert.ThrowsAsync<InvalidOperationException>(() => WalProjection.Start(Sys, "most", ProjectionQuery.ByTag("t"), failing, options).Completion.WaitAsync(Patience));
        var handler = new RecordingHandler("out");
        await RunUntilCaughtUpAsync(Sys, "most", handler, options);

        var handled = failing.Handled.Concat(handler.Handled).ToList();
        Assert.Equal(handled.Count, handled.Distinct().Count());
        Assert.DoesNotContain("e-23", handled); // committed with its group before e-22 failed, so never handled
        Assert.Contains("e-39", handled);
        Assert.True(handled.Count < 40);
    }

    [Fact]
    public async Task A_projection_resumes_from_its_offset_after_the_journal_restarts_and_the_journal_still_indexes_past_commits()
    {
        WriteTagged("t", 0, 20);
        var options = new WalProjectionOptions { Mode = ProjectionMode.ExactlyOnce, CommitEvery = 3 };
        await RunUntilCaughtUpAsync(Sys, "restart", new RecordingHandler("out"), options);
        WriteTagged("t", 20, 5);

        var restarted = await RestartAsync(Sys);
        try
        {
            var handler = new RecordingHandler("out");
            await RunUntilCaughtUpAsync(restarted, "restart", handler, options);
            Assert.Equal(Enumerable.Range(20, 5).Select(i => $"e-{i}"), handler.Handled);
            Assert.Equal(Enumerable.Range(0, 25).Select(i => $"out:e-{i}"), await OutputsAsync(restarted, "out"));
            var all = await PersistenceQuery.Get(restarted).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
                .CurrentAllEvents(NoOffset.Instance).RunWith(Sink.Seq<EventEnvelope>(), restarted.Materializer()).WaitAsync(Patience);
            Assert.Equal(50, all.Count);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task A_projection_resumes_exactly_after_its_offset_when_compaction_dropped_the_event_it_points_at()
    {
        // Alternately "keep" and "drop" (whose events are deleted, then compacted away); ~1 KB each, so segments close.
        var filler = new string('x', 1000);
        for (var start = 0; start < 2400; start += 100)
        {
            WriteAll([.. Enumerable.Range(start, 100).Select(i => Atomic(Event(i % 2 == 0 ? "keep" : "drop", (i / 2) + 1, new Tagged($"e-{i}:{filler}", ["c"]))))]);
        }

        // Groups of 51 (the interval too long to cut one): e-0..e-50 commit, so the offset is where e-51, a "drop" event,
        // starts; the next group fails at e-100.
        var options = new WalProjectionOptions { Mode = ProjectionMode.ExactlyOnce, CommitEvery = 51, CommitInterval = TimeSpan.FromMinutes(5) };
        var first = WalProjection.Start(Sys, "compacted", ProjectionQuery.ByTag("c"), new RecordingHandler(null, failAt: $"e-100:{filler}"), options);
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.Completion.WaitAsync(Patience));
        var offset = (await StoreOf(Sys).Client.GetConsumerAsync("projection/compacted"))!.Next;
        Delete(Journal, CreateTestProbe(), "drop", long.MaxValue);
        var probe = CreateTestProbe();
        Journal.Tell(CompactLog.Instance, probe.Ref);
        var compacted = probe.ExpectMsg<LogCompacted>(Patience);
        Assert.True(compacted.RecordsDropped >= 500, $"{compacted}");

        // The record the offset pointed at (e-51) is gone: reading from the offset steps over the hole to e-52.
        var after = WalDirectory.Read(Directory.Combine("journal"), offset).First();
        Assert.True(after.Lsn > offset, $"a record still starts at the offset {offset}");
        Assert.Contains("e-52:", System.Text.Encoding.UTF8.GetString(after.Payload.Span), StringComparison.Ordinal);

        var restarted = await RestartAsync(Sys);
        try
        {
            var rest = new RecordingHandler(null);
            await RunUntilCaughtUpAsync(restarted, "compacted", rest, options with { CommitInterval = TimeSpan.FromMilliseconds(50) }, ProjectionQuery.ByTag("c"));
            Assert.Equal(Enumerable.Range(26, 1174).Select(i => $"e-{2 * i}"), rest.Handled.Select(h => h.Split(':')[0]));
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task By_persistence_id_resumes_by_sequence_number_and_all_events_sees_every_id()
    {
        WriteIds(1, 3);
        var options = new WalProjectionOptions { CommitEvery = 2 };
        var first = new RecordingHandler(null);
        await RunUntilCaughtUpAsync(Sys, "by-id", first, options, ProjectionQuery.ByPersistenceId("a"));
        WriteIds(4, 6);
        var rest = new RecordingHandler(null);
        await RunUntilCaughtUpAsync(Sys, "by-id", rest, options, ProjectionQuery.ByPersistenceId("a"));

        Assert.Equal(["a-1", "a-2", "a-3"], first.Handled);
        Assert.Equal(["a-4", "a-5", "a-6"], rest.Handled);
        var everything = new RecordingHandler(null);
        await RunUntilCaughtUpAsync(Sys, "all", everything, options, ProjectionQuery.AllEvents);
        Assert.Equal(12, everything.Handled.Count);
    }

    [Fact]
    public async Task Lag_counts_the_events_after_the_committed_offset_and_bad_names_are_refused()
    {
        WriteTagged("t", 0, 10);
        var handler = new RecordingHandler(null);
        await RunUntilCaughtUpAsync(Sys, "lagging", handler, new WalProjectionOptions { CommitEvery = 3 });
        WriteTagged("t", 10, 5);
        WriteAll(Atomic(Event("untagged", 1, "x")));

        await using var idle = WalProjection.Start(Sys, "lagging", ProjectionQuery.ByTag("other"), handler);
        Assert.Equal(0, await idle.GetLagAsync());
        await using var stopped = WalProjection.Start(Sys, "never-run", ProjectionQuery.ByTag("t"), new RecordingHandler(null, failAt: "e-0"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => stopped.Completion.WaitAsync(Patience));
        Assert.Equal(15, await stopped.GetLagAsync());
        Assert.Throws<ArgumentException>(() => WalProjection.Start(Sys, "", ProjectionQuery.AllEvents, handler));
        Assert.Throws<ArgumentException>(() => WalProjection.Start(Sys, new string('n', 250), ProjectionQuery.AllEvents, handler));
        Assert.Throws<ArgumentException>(() => ProjectionQuery.ByTag(""));
    }

    [Fact]
    public async Task Slices_moved_from_one_to_four_to_two_instances_while_events_flow_handle_every_event_exactly_once()
    {
        const int ids = 24;
        const int perId = 25;
        var probe = CreateTestProbe();
        var writing = Task.Run(() =>
        {
            for (var round = 1; round <= perId; round++)
            {
                WriteAll(Journal, probe, [.. Enumerable.Range(0, ids).Select(i => Atomic(Event($"id-{i}", round, new Tagged($"id-{i}:{round}", ["s"]))))]);
            }
        });
        var handled = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = new WalProjectionOptions { Mode = ProjectionMode.ExactlyOnce, CommitEvery = 9, SliceCount = 16 };

        foreach (var (count, target) in new[] { (1, 100), (4, 350), (2, ids * perId) })
        {
            var instances = Enumerable.Range(0, count)
                .Select(i => WalProjection.Start(Sys, "sliced", ProjectionQuery.ByTag("s"), new SliceHandler(handled), options with { Partition = new ProjectionPartition(i, count) }))
                .ToList();
            var deadline = DateTime.UtcNow + Patience;
            while (handled.Count < target || (count == 2 && (!writing.IsCompleted || (await Task.WhenAll(instances.Select(p => p.GetLagAsync()))).Sum() > 0)))
            {
                Assert.True(DateTime.UtcNow < deadline, $"{count} instances never reached {target} events ({handled.Count})");
                Assert.DoesNotContain(instances, p => p.Completion.IsFaulted);
                await Task.Delay(10);
            }

            await Task.WhenAll(instances.Select(p => p.StopAsync())).WaitAsync(Patience);
        }

        await writing;
        for (var i = 0; i < ids; i++)
        {
            Assert.Equal(Enumerable.Range(1, perId).Select(r => $"out:id-{i}:{r}"), await OutputsAsync(Sys, $"out-id-{i}"));
        }
    }

    [Fact]
    public void A_partition_owns_a_fair_contiguous_share_and_ids_hash_to_the_same_slice_everywhere()
    {
        Assert.Equal(Enumerable.Range(0, 64), Enumerable.Range(0, 3).SelectMany(i => new ProjectionPartition(i, 3).SlicesOf(64)));
        Assert.Equal(46, WalActors.Projections.ProjectionSlices.SliceOf("order-17", 64)); // FNV-1a 32-bit (3559933102 % 64), whatever the process
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProjectionPartition(2, 2));
        Assert.Throws<ArgumentException>(() => WalProjection.Start(Sys, "p", ProjectionQuery.ByPersistenceId("a"), new RecordingHandler(null), new WalProjectionOptions { Partition = new ProjectionPartition(0, 2) }));
        Assert.Throws<ArgumentException>(() => WalProjection.Start(Sys, "p", ProjectionQuery.AllEvents, new RecordingHandler(null), new WalProjectionOptions { Partition = new ProjectionPartition(0, 5), SliceCount = 4 }));
    }

    [Fact]
    public async Task A_second_instance_owning_a_running_instances_slice_or_name_is_refused_until_that_one_stops()
    {
        var whole = new WalProjectionOptions { Partition = new ProjectionPartition(0, 1), SliceCount = 8 };
        await using (var first = WalProjection.Start(Sys, "owned", ProjectionQuery.AllEvents, new RecordingHandler(null), whole))
        {
            var error = Assert.Throws<InvalidOperationException>(() =>
                WalProjection.Start(Sys, "owned", ProjectionQuery.AllEvents, new RecordingHandler(null), whole with { Partition = new ProjectionPartition(1, 2) }));
            Assert.Contains("projection/owned#slice-4", error.Message, StringComparison.Ordinal);
            await using var other = WalProjection.Start(Sys, "owned", ProjectionQuery.AllEvents, new RecordingHandler(null)); // unpartitioned: another consumer
            Assert.Throws<InvalidOperationException>(() => WalProjection.Start(Sys, "owned", ProjectionQuery.AllEvents, new RecordingHandler(null)));
            await first.StopAsync();
        }

        await using var next = WalProjection.Start(Sys, "owned", ProjectionQuery.AllEvents, new RecordingHandler(null), whole with { Partition = new ProjectionPartition(1, 2) });
        Assert.False(next.Completion.IsCompleted);
    }

    [Fact]
    public async Task An_output_the_log_cannot_hold_stops_the_projection_with_the_typed_error_and_writes_nothing_of_its_group()
    {
        WriteTagged("t", 0, 3);
        var options = new WalProjectionOptions { Mode = ProjectionMode.ExactlyOnce, CommitEvery = 10 };
        var projection = WalProjection.Start(Sys, "too-large", ProjectionQuery.ByTag("t"), new OversizedHandler(), options);

        await Assert.ThrowsAsync<RecordTooLargeException>(() => projection.Completion.WaitAsync(Patience));
        Assert.Empty(await OutputsAsync(Sys, "small"));
        Assert.Null(await StoreOf(Sys).Client.GetConsumerAsync(WalProjection.ConsumerName("too-large")));
        Assert.Equal(3, await projection.GetLagAsync());
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_the_setting()
    {
        Assert.Equal("CommitEvery", Assert.Throws<ArgumentOutOfRangeException>(() => new WalProjectionOptions { CommitEvery = 0 }).ParamName);
        Assert.Equal("CommitInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new WalProjectionOptions { CommitInterval = TimeSpan.Zero }).ParamName);
        Assert.Equal("SliceCount", Assert.Throws<ArgumentOutOfRangeException>(() => new WalProjectionOptions { SliceCount = 1025 }).ParamName);
        Assert.Equal("CommitEvery", Assert.Throws<ArgumentOutOfRangeException>(() => new WalConsumerOptions { CommitEvery = 0 }).ParamName);
        Assert.Equal("CommitInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new WalConsumerOptions { CommitInterval = TimeSpan.FromSeconds(-1) }).ParamName);
    }

    [Fact]
    public async Task The_health_check_is_degraded_before_start_and_beyond_the_lag_allowed_and_unhealthy_once_stopped()
    {
        WriteTagged("t", 0, 5);
        Assert.Equal(HealthStatus.Degraded, (await ProjectionHealth.CheckAsync(null, "p", 10, default)).Status);

        await using var failed = WalProjection.Start(Sys, "unhealthy", ProjectionQuery.ByTag("t"), new RecordingHandler(null, failAt: "e-0"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed.Completion.WaitAsync(Patience));
        var stopped = await ProjectionHealth.CheckAsync(failed, "unhealthy", 10, default);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.IsType<InvalidOperationException>(stopped.Exception);

        var blocked = new TaskCompletionSource();
        await using var waiting = WalProjection.Start(Sys, "behind", ProjectionQuery.ByTag("t"), new BlockingHandler(blocked.Task));
        var behind = await ProjectionHealth.CheckAsync(waiting, "behind", 2, default);
        Assert.Equal(HealthStatus.Degraded, behind.Status);
        Assert.Equal(5L, behind.Data["lag_events"]);
        Assert.Equal(HealthStatus.Healthy, (await ProjectionHealth.CheckAsync(waiting, "behind", 5, default)).Status);
        blocked.SetResult();
    }

    private static async Task RunUntilCaughtUpAsync(ActorSystem system, string name, RecordingHandler handler, WalProjectionOptions options, ProjectionQuery? query = null)
    {
        var projection = WalProjection.Start(system, name, query ?? ProjectionQuery.ByTag("t"), handler, options);
        var deadline = DateTime.UtcNow + Patience;
        while (await projection.GetLagAsync() > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"projection {name} never caught up");
            Assert.False(projection.Completion.IsCompleted, $"projection {name} stopped: {projection.Completion.Exception}");
            await Task.Delay(10);
        }

        await projection.StopAsync().WaitAsync(Patience);
    }

    private static async Task<List<string>> OutputsAsync(ActorSystem system, string persistenceId)
    {
        var events = await PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(WalReadJournal.Identifier)
            .CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer()).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.SequenceNr));
        return [.. events.Select(e => (string)e.Event)];
    }

    private void WriteIds(int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            WriteAll(Atomic(Event("a", i, $"a-{i}")), Atomic(Event("b", i, $"b-{i}")));
        }
    }

    private void WriteTagged(string tag, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            WriteAll(Atomic(Event($"p-{i % 3}", (i / 3) + 1, new Tagged($"e-{i}", [tag]))));
        }
    }

    /// <summary>Writes "out:EVENT" to "out-" + the event's id (each id belongs to one slice, so to one instance at a time).</summary>
    private sealed class SliceHandler(System.Collections.Concurrent.ConcurrentQueue<string> handled) : IWalProjectionHandler
    {
        public Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            handled.Enqueue((string)envelope.Event);
            return Task.FromResult<IReadOnlyList<ProjectedEvent>>([new ProjectedEvent($"out-{envelope.PersistenceId}", $"out:{envelope.Event}")]);
        }
    }

    /// <summary>Writes one small output and one larger than the log's max-record-size for every event.</summary>
    private sealed class OversizedHandler : IWalProjectionHandler
    {
        public Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ProjectedEvent>>([new ProjectedEvent("small", "ok"), new ProjectedEvent("large", new string('x', 2 * 1024 * 1024))]);
    }

    /// <summary>Handles nothing until released: a projection that lags.</summary>
    private sealed class BlockingHandler(Task released) : IWalProjectionHandler
    {
        public async Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            await released.WaitAsync(cancellationToken);
            return [];
        }
    }

    /// <summary>Records what it handled, writes "out:EVENT" to its output id (when it has one), and fails at one event.</summary>
    private sealed class RecordingHandler(string? outputId, string? failAt = null) : IWalProjectionHandler
    {
        public List<string> Handled { get; } = [];

        public Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            var name = (string)envelope.Event;
            if (name == failAt)
            {
                throw new InvalidOperationException($"the handler failed at {name}");
            }

            Handled.Add(name);

            return Task.FromResult<IReadOnlyList<ProjectedEvent>>(outputId is null ? [] : [new ProjectedEvent(outputId, $"out:{name}")]);
        }
    }
}
