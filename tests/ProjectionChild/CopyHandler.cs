using Akka.Persistence.Query;

namespace WalActors.ProjectionChild;

/// <summary>
/// Writes "out:EVENT" to persistence id "out" for each event, and, as an effect outside the journal, appends the event to
/// a file (a process kill keeps what the kernel was given, so the file shows every handling that finished).
/// </summary>
internal sealed class CopyHandler(string handledFile) : IWalProjectionHandler
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public async Task<IReadOnlyList<ProjectedEvent>> HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        await File.AppendAllTextAsync(handledFile, $"{envelope.Event}\n", cancellationToken);
        Interlocked.Increment(ref _count);
        return [new ProjectedEvent("out", $"out:{envelope.Event}")];
    }
}
