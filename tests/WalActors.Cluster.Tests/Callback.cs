namespace WalActors.Cluster.Tests;

/// <summary>A lease-lost callback the test can await: completes with the exception the lease passed, once.</summary>
public sealed class Callback
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TaskCompletionSource<Exception> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public Action<Exception> Action => e =>
    {
        Interlocked.Increment(ref _calls);
        _lost.TrySetResult(e);
    };

    public int Calls => Volatile.Read(ref _calls);

    public bool Called => _lost.Task.IsCompleted;

    /// <summary>
    /// Waits for the call. The bound is only there so a broken lease fails the test instead of hanging it; a working
    /// one calls back within its heartbeat (or TTL) on this machine.
    /// </summary>
    public Task<Exception> Lost => _lost.Task.WaitAsync(Patience);
}
