using System.Collections.Concurrent;

namespace WalActors.Actors.Internal;

/// <summary>Recycles <see cref="WriteBatch"/> objects between the actors of one log.</summary>
internal sealed class WriteBatchPool
{
    private const int MaxPooled = 256;
    private readonly ConcurrentQueue<WriteBatch> _free = new();

    public WriteBatch Rent() => _free.TryDequeue(out var batch) ? batch : new WriteBatch();

    public void Return(WriteBatch batch)
    {
        batch.Reset();
        if (_free.Count < MaxPooled)
        {
            _free.Enqueue(batch);
        }
    }
}
