using Akka.Persistence.Query;

namespace WalActors.ProjectionChild;

/// <summary>
/// Writes "out:EVENT" to "out-" + the event's persistence id (an id is one slice, so one instance writes each output id),
/// and, as an effect outside the journal, appends the event to a file (a process kill keeps what the kernel was given,
/// so the file shows every handling that finished).
/// </summary>
internal sealed class CopyHandler(string handledFile) : IWalProjectionHandler
{
    private readonly Lock _file = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        // Several instances share the file: one line at a time.
        lock (_file)
        {
            File.AppendAllText(handledFile, $"{envelope.Event}\n");
        }

        Interlocked.Increment(ref _count);
        return Task.FromResult<IReadOnlyList<ProjectedEvent>>([new ProjectedEvent($"out-{envelope.PersistenceId}", $"out:{envelope.Event}")]);
    }
}
