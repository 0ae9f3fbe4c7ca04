using System.Collections.Concurrent;
using Akka.Persistence;

namespace WalActors.Persistence;

/// <summary>
/// The write call each persistence id last has in flight, so that a restarted actor's recovery (its highest sequence
/// number, a delete) is answered only after the previous incarnation's write finished: answered earlier, it would miss
/// an event that is still being made durable, and the new incarnation would write that sequence number again.
/// Shared by the journals; thread-safe.
/// </summary>
internal sealed class WritesInProgress
{
    private readonly ConcurrentDictionary<string, Task> _writes = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="writing"/> as the call in flight for every persistence id of <paramref name="writes"/> until it completes.</summary>
    public void Track(IReadOnlyList<AtomicWrite> writes, Task writing)
    {
        if (writing.IsCompleted)
        {
            return;
        }

        foreach (var write in writes)
        {
            _writes[write.PersistenceId] = writing;
        }

        writing.ContinueWith(
            (done, state) =>
            {
                foreach (var write in (IReadOnlyList<AtomicWrite>)state!)
                {
                    _writes.TryRemove(new KeyValuePair<string, Task>(write.PersistenceId, done));
                }
            },
            writes,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Completes (never faults) once the call in flight for <paramref name="persistenceId"/>, if any, has finished.</summary>
    public Task AfterWritesOf(string persistenceId) =>
        _writes.TryGetValue(persistenceId, out var writing)
            ? writing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            : Task.CompletedTask;
}
