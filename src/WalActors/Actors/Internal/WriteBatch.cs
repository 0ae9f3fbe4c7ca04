using System.Diagnostics;

namespace WalActors.Actors.Internal;

/// <summary>
/// The appends one writer frames into one positioned write. Pooled: the facade fills it, the writer writes it,
/// the durability actor acknowledges it and returns it, so steady-state appends allocate nothing here.
/// </summary>
internal sealed class WriteBatch
{
    private PendingAppend[] _entries = new PendingAppend[32];

    public int Count { get; private set; }

    /// <summary>Framed bytes of all entries: the size of the reservation and of the write.</summary>
    public int Bytes { get; private set; }

    public long Start { get; set; } = -1;

    public long End => Start + Bytes;

    /// <summary>How many entries, from the front, have been answered.</summary>
    public int Answered { get; set; }

    public bool WaitsForBarrier { get; private set; }

    public ref PendingAppend this[int index] => ref _entries[index];

    /// <summary>Whether the batch is in its pool (owned by no one); checked in debug builds where batches change hands.</summary>
    public bool IsPooled { get; set; }

    public void Add(in PendingAppend entry)
    {
        Debug.Assert(!IsPooled, "a batch in the pool was filled");
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, Count * 2);
        }

        _entries[Count++] = entry;
        Bytes += entry.FrameBytes;
        WaitsForBarrier |= entry.Durability == Durability.Durable;
    }

    /// <summary>Sets every entry's LSN from the batch's reserved start.</summary>
    public void Place(long start)
    {
        Debug.Assert(!IsPooled && start >= 0, "a batch was placed while pooled, or at a negative offset");
        Start = start;
        var lsn = start;
        for (var i = 0; i < Count; i++)
        {
            _entries[i].Lsn = lsn;
            lsn += _entries[i].FrameBytes;
        }
    }

    public void Reset()
    {
        Array.Clear(_entries, 0, Count);
        Count = 0;
        Bytes = 0;
        Start = -1;
        Answered = 0;
        WaitsForBarrier = false;
    }
}
