namespace WalActors.Host.Input;

/// <summary>
/// The failure of the lowest-numbered line among those that failed: appends complete out of order, and the one to
/// report is where the input stopped being appended, not whichever answer came first.
/// </summary>
internal sealed class FirstFailure
{
    private readonly Lock _gate = new();
    private (long Line, Exception Error)? _first;

    public bool Any
    {
        get
        {
            lock (_gate)
            {
                return _first is not null;
            }
        }
    }

    public (long Line, Exception Error)? First
    {
        get
        {
            lock (_gate)
            {
                return _first;
            }
        }
    }

    public void Add(long line, Exception error)
    {
        lock (_gate)
        {
            if (_first is null || line < _first.Value.Line)
            {
                _first = (line, error);
            }
        }
    }
}
