namespace WalActors.Cluster.Tests.History;

/// <summary>The history checker on synthetic histories: what it must accept and each violation it must reject.</summary>
public sealed class HistoryCheckerTests
{
    private readonly HistoryChecker _checker = new();

    [Fact]
    public void A_history_where_every_read_holds_every_earlier_acknowledgement_in_place_passes_with_its_counts()
    {
        _checker.Acknowledged("a", 1, "a1");
        _checker.Acknowledged("a", 2, "a2");
        _checker.Acknowledged("b", 1, "b1");
        Read("a", (1, "a1"), (2, "a2"));
        _checker.Failover();
        // An event never acknowledged (its node was killed before it answered) may show up, once.
        Read("a", (1, "a1"), (2, "a2"), (3, "lost-answer"));
        _checker.Acknowledged("a", 4, "a4");
        Read("a", (1, "a1"), (2, "a2"), (3, "lost-answer"), (4, "a4"));
        Read("b", (1, "b1"));

        var verdict = _checker.Check();

        Assert.True(verdict.Passed, verdict.ToString());
        Assert.Equal((1, 4, 4, 4), (verdict.Failovers, verdict.AcknowledgedEvents, verdict.AcknowledgedChecked, verdict.ReadsChecked));
    }

    [Fact]
    public void A_read_begun_before_an_acknowledgement_arrived_need_not_hold_it()
    {
        var begun = _checker.Now();
        _checker.Acknowledged("a", 1, "a1");
        _checker.ReadAnswered("a", begun, []);

        var verdict = _checker.Check();

        Assert.True(verdict.Passed, verdict.ToString());
        Assert.Equal(0, verdict.AcknowledgedChecked);
    }

    [Fact]
    public void An_acknowledged_event_missing_from_a_later_read_is_lost()
    {
        _checker.Acknowledged("a", 1, "a1");
        _checker.Acknowledged("a", 2, "a2");
        _checker.Failover();
        Read("a", (1, "a1"));

        AssertRejected(ViolationKind.Lost, "a2, acknowledged as event 2, is missing (lost)");
    }

    [Fact]
    public void A_moved_entity_that_recovered_nothing_has_lost_every_acknowledged_event()
    {
        _checker.Acknowledged("a", 1, "a1");
        _checker.Acknowledged("a", 2, "a2");
        Read("a");

        var verdict = _checker.Check();

        Assert.Equal(2, verdict.Violations.Count(v => v.Kind == ViolationKind.Lost));
    }

    [Fact]
    public void An_event_that_appears_twice_is_rejected()
    {
        _checker.Acknowledged("a", 1, "a1");
        Read("a", (1, "a1"), (2, "a1"));

        AssertRejected(ViolationKind.Duplicate, "a1 appears twice (sequence numbers 1 and 2)");
    }

    [Fact]
    public void A_value_acknowledged_twice_is_rejected()
    {
        _checker.Acknowledged("a", 1, "a1");
        _checker.Acknowledged("a", 2, "a1");

        AssertRejected(ViolationKind.Duplicate, "value a1 acknowledged 2 times");
    }

    [Fact]
    public void Two_events_acknowledged_at_one_sequence_number_are_rejected()
    {
        _checker.Acknowledged("a", 1, "a1");
        _checker.Acknowledged("a", 1, "b1");

        AssertRejected(ViolationKind.Duplicate, "sequence number 1 acknowledged 2 times (a1, b1)");
    }

    [Fact]
    public void Acknowledged_events_read_in_another_order_are_rejected()
    {
        _checker.Acknowledged("a", 1, "a1");
        _checker.Acknowledged("a", 2, "a2");
        Read("a", (1, "a2"), (2, "a1"));

        AssertRejected(ViolationKind.Reordered, "a1, acknowledged as event 1, is event 2 (reordered)");
    }

    [Fact]
    public void An_acknowledged_event_at_another_place_is_rejected_even_in_a_concurrent_read()
    {
        var begun = _checker.Now();
        _checker.Acknowledged("a", 1, "a1");
        _checker.ReadAnswered("a", begun, [new(1, "other"), new(2, "a1")]);

        AssertRejected(ViolationKind.Reordered, "a1, acknowledged as event 1, is event 2 (reordered)");
    }

    [Fact]
    public void A_gap_in_the_sequence_numbers_is_rejected()
    {
        _checker.Acknowledged("a", 1, "a1");
        _checker.Acknowledged("a", 3, "a3");
        Read("a", (1, "a1"), (3, "a3"));

        AssertRejected(ViolationKind.Gap, "event 2 has sequence number 3 (a gap)");
    }

    [Fact]
    public void A_read_that_no_longer_shows_what_an_earlier_read_showed_is_rejected()
    {
        // Neither event was acknowledged (their answers were lost), but a read saw them: they must stay.
        Read("a", (1, "x1"), (2, "x2"));
        Read("a", (1, "x1"));

        AssertRejected(ViolationKind.Rewound, "event 2 is nothing, an earlier read");
    }

    private void Read(string id, params (long SequenceNr, string Value)[] events) =>
        _checker.ReadAnswered(id, _checker.Now(), [.. events.Select(e => new HistoryEvent(e.SequenceNr, e.Value))]);

    private void AssertRejected(ViolationKind kind, string violation)
    {
        var verdict = _checker.Check();
        Assert.False(verdict.Passed, "the checker passed a history it must reject");
        Assert.Contains(verdict.Violations, v => v.Kind == kind && v.Description.Contains(violation, StringComparison.Ordinal));
    }
}
