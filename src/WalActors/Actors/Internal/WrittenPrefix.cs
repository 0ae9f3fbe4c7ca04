using System.Diagnostics;

namespace WalActors.Actors.Internal;

/// <summary>
/// The watermark: the end of the contiguous prefix of the log that writers have written. Writers finish out of order;
/// a batch written beyond the watermark is held until every byte before it has been written too.
/// </summary>
/// <remarks>
/// <para>Invariants (asserted in debug builds): the end only grows; the ranges added never overlap each other nor the
/// prefix already written, since the sequencer grants every byte once.</para>
/// <para>Few batches are ever held (at most one per writer), so a sorted list beats any tree here. Used by one actor:
/// not thread-safe.</para>
/// </remarks>
internal sealed class WrittenPrefix
{
    private readonly List<WriteBatch> _held = [];

    /// <param name="end">Where the log ends when writing starts: everything before it counts as written.</param>
    public WrittenPrefix(long end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(end);
        End = end;
    }

    /// <summary>One past the last byte of the contiguous written prefix.</summary>
    public long End { get; private set; }

    /// <summary>Batches written beyond the prefix, waiting for the gap before them to be written.</summary>
    public int HeldCount => _held.Count;

    /// <summary>
    /// Adds a written batch and appends to <paramref name="joined"/>, in log order, every batch that is now part of the
    /// prefix (this one and any it released); <see cref="End"/> moves past them.
    /// </summary>
    public void Add(WriteBatch batch, List<WriteBatch> joined)
    {
        Debug.Assert(batch.Start >= End, $"a batch at {batch.Start} lies inside the prefix already written (to {End})");
        var index = _held.Count;
        while (index > 0 && _held[index - 1].Start > batch.Start)
        {
            index--;
        }

        Debug.Assert(index == 0 || _held[index - 1].End <= batch.Start, "a batch overlaps the one held before it");
        Debug.Assert(index == _held.Count || batch.End <= _held[index].Start, "a batch overlaps the one held after it");
        _held.Insert(index, batch);

        var released = 0;
        while (released < _held.Count && _held[released].Start == End)
        {
            var next = _held[released++];
            var before = End;
            End = next.End;
            Debug.Assert(End >= before, "the watermark moved back");
            joined.Add(next);
        }

        _held.RemoveRange(0, released);
    }

    /// <summary>Removes and returns every held batch (the log faulted: they will never join the prefix).</summary>
    public List<WriteBatch> TakeHeld()
    {
        var held = new List<WriteBatch>(_held);
        _held.Clear();
        return held;
    }

    /// <summary>Moves the prefix to <paramref name="end"/> when the log is closed there (by its close marker); nothing may be held.</summary>
    public void CloseAt(long end)
    {
        Debug.Assert(_held.Count == 0, "the log closed with batches still held");
        Debug.Assert(end >= End, "the close marker lies before the written prefix");
        End = end;
    }
}
