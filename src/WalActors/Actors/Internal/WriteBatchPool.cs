using System.Collections.Concurrent;
using System.Diagnostics;

namespace WalActors.Actors.Internal;

/// <summary>Recycles <see cref="WriteBatch"/> objects between the actors of one log.</summary>
internal sealed class WriteBatchPool
{
    private const int MaxPooled = 256;
    private readonly ConcurrentQueue<WriteBatch> _free = new();

    public WriteBatch Rent()
    {
        if (!_free.TryDequeue(out var batch))
        {
            return new WriteBatch();
        }

        Debug.Assert(batch.IsPooled && batch.Count == 0, "a pooled batch was used while in the pool");
        batch.IsPooled = false;
        return batch;
    }

    /// <summary>Takes back a batch that its last owner is done with; it must not be touched afterwards.</summary>
    public void Return(WriteBatch batch)
    {
        // Batch ownership: one owner at a time (facade, writer, durability actor, pool); returning twice would hand one
        // batch to two owners.
        Debug.Assert(!batch.IsPooled, "a batch was returned to the pool twice");
        batch.Reset();
        batch.IsPooled = true;
        if (_free.Count < MaxPooled)
        {
            _free.Enqueue(batch);
        }
    }
}
