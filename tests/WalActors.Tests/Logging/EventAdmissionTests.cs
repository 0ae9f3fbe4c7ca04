using WalActors.Logging;

namespace WalActors.Tests.Logging;

public sealed class EventAdmissionTests
{
    [Fact]
    public void Events_fill_all_but_the_last_place_and_the_rest_are_dropped_and_counted()
    {
        var admission = new EventAdmission(4);

        Assert.Equal([true, true, true, false, false], Enumerable.Range(0, 5).Select(_ => admission.TryAdmit()));
        Assert.Equal(3, admission.Pending);
        Assert.Equal(2, admission.Dropped);
    }

    [Fact]
    public void The_closing_record_takes_the_place_kept_for_it_even_when_events_filled_the_rest()
    {
        var admission = new EventAdmission(3);
        while (admission.TryAdmit())
        {
        }

        admission.AdmitClosing();

        Assert.Equal(3, admission.Pending);
        Assert.Equal(1, admission.TakeRemaining());
        Assert.Equal(0, admission.Dropped);
    }

    [Fact]
    public void The_drop_count_is_reported_once_there_is_room_and_then_starts_again_from_zero()
    {
        var admission = new EventAdmission(3);
        admission.TryAdmit();
        admission.TryAdmit();
        admission.TryAdmit(); // dropped

        Assert.False(admission.TryTakeReport(out _)); // no room for the report yet
        admission.Answered();
        Assert.True(admission.TryTakeReport(out var dropped));
        Assert.Equal(1, dropped);
        Assert.False(admission.TryTakeReport(out _));
        Assert.Equal(2, admission.Pending); // the report itself is an append in flight
        admission.Drop(); // refused by the log (its byte bound)
        Assert.Equal(1, admission.Dropped);
        Assert.Equal(2, admission.DroppedTotal);
    }

    [Fact]
    public void A_log_that_holds_one_append_keeps_it_for_the_closing_record()
    {
        var admission = new EventAdmission(1);

        Assert.False(admission.TryAdmit());
        admission.AdmitClosing();
        Assert.Equal(1, admission.TakeRemaining());
    }
}
