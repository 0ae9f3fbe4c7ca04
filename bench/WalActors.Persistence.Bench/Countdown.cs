namespace WalActors.Persistence.Bench;

/// <summary>Completes once <c>Signal</c> has been called a given number of times (sums the counts it was given), or fails at the first <c>Fail</c>.</summary>
public sealed class Countdown(int signals)
{
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining = signals;
    private long _total;

    public Task<long> Task => _completion.Task;

    public void Signal(long count)
    {
        Interlocked.Add(ref _total, count);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _completion.TrySetResult(Interlocked.Read(ref _total));
        }
    }

    public void Fail(Exception reason) => _completion.TrySetException(reason);
}
