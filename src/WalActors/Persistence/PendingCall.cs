using System.Collections.Immutable;

namespace WalActors.Persistence;

/// <summary>
/// One <c>WriteMessagesAsync</c> call waiting for its atomic writes to be acknowledged; they may travel in different
/// log batches, and the call completes when the last of them does.
/// </summary>
internal sealed class PendingCall
{
    private readonly Exception?[] _results;
    private int _outstanding;

    // Starts at one for the call itself, released by Queued(), so the call cannot complete while writes are still being queued.
    public PendingCall(Exception?[] results)
    {
        _results = results;
        _outstanding = 1;
    }

    // Completed from the log's acknowledgement, already on a pool thread: Akka's continuation (which only sends the
    // replies) runs inline rather than costing another hop.
    public TaskCompletionSource<IImmutableList<Exception?>> Completion { get; } = new();

    /// <summary>One more of the call's writes is on its way to the log.</summary>
    public void Expect() => Interlocked.Increment(ref _outstanding);

    /// <summary>Every write of the call has been queued (or rejected).</summary>
    public void Queued() => WriteDone();

    /// <summary>One of the call's writes was acknowledged and indexed.</summary>
    public void WriteDone()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            // No list at all means "every write succeeded" to Akka.Persistence, and saves an allocation.
            Completion.TrySetResult(Array.TrueForAll(_results, r => r is null) ? null! : _results.ToImmutableList());
        }
    }

    /// <summary>The log failed: whether the call's writes are stored is unknown, so the whole call fails.</summary>
    public void Fail(Exception cause) => Completion.TrySetException(cause);
}
