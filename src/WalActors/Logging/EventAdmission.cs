using System.Diagnostics;

namespace WalActors.Logging;

/// <summary>
/// Decides which log events <see cref="WalLogger"/> sends to its log: never more than the log holds
/// (<c>max-pending-appends</c>), so the log never has to refuse one. What does not fit is dropped and counted, and the
/// count is reported in the log as soon as there is room again.
/// </summary>
/// <remarks>
/// The last place is kept for the closing record, so a logger whose log is full (its barrier delayed, its disk slow)
/// can still say that the log is closing, and how many events it dropped, without waiting for room that only the close
/// itself would make. Used by one actor: not thread-safe.
/// </remarks>
internal sealed class EventAdmission
{
    private readonly int _capacity;
    private int _pending;

    /// <param name="capacity">The most appends the log holds unanswered (its max-pending-appends), at least 1.</param>
    public EventAdmission(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Events dropped since the last report.</summary>
    public long Dropped { get; private set; }

    /// <summary>Events dropped in all.</summary>
    public long DroppedTotal { get; private set; }

    /// <summary>Appends sent and not answered yet.</summary>
    public int Pending => _pending;

    /// <summary>Whether an event may be sent now; false counts it as dropped.</summary>
    public bool TryAdmit()
    {
        if (_pending < _capacity - 1)
        {
            _pending++;
            return true;
        }

        Drop();
        return false;
    }

    /// <summary>Admits the closing record: it may take the place kept for it.</summary>
    public void AdmitClosing()
    {
        Debug.Assert(_pending < _capacity, "events never take the place kept for the closing record");
        _pending++;
    }

    /// <summary>The log answered one append (acknowledged or failed).</summary>
    public void Answered()
    {
        // Every append is answered exactly once; clamped all the same, so a stray reply can never block events for good.
        _pending = Math.Max(0, _pending - 1);
    }

    /// <summary>Counts one event lost (not admitted, or refused by the log).</summary>
    public void Drop()
    {
        Dropped++;
        DroppedTotal++;
    }

    /// <summary>Takes the count to report: true when events were dropped since the last report and a report fits now.</summary>
    public bool TryTakeReport(out long dropped)
    {
        dropped = Dropped;
        if (dropped == 0 || _pending >= _capacity - 1)
        {
            return false;
        }

        _pending++;
        Dropped = 0;
        return true;
    }

    /// <summary>Takes whatever was dropped since the last report, for the closing record.</summary>
    public long TakeRemaining()
    {
        var dropped = Dropped;
        Dropped = 0;
        return dropped;
    }
}
