namespace WalActors.Tests.Persistence;

/// <summary>
/// An event whose serialization holds the serializing thread (the journal actor's) until the test lets it go: a journal
/// busy with a long request, deterministically.
/// </summary>
public sealed class BlocksSerialization : IDisposable
{
    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _released = new();

    /// <summary>Read by the serializer: says it was reached, then waits for <see cref="Release"/>.</summary>
    public string Value
    {
        get
        {
            _entered.Set();
            _released.Wait(TimeSpan.FromMinutes(2));
            return "released";
        }
    }

    public bool IsReleased => _released.IsSet;

    /// <summary>Waits until the serializer holds the thread.</summary>
    public bool WaitEntered(TimeSpan timeout) => _entered.Wait(timeout);

    public void Release() => _released.Set();

    public void Dispose()
    {
        _released.Set();
        _entered.Dispose();
        _released.Dispose();
    }
}
