using System.Diagnostics;

namespace WalActors.Tests.Support;

/// <summary>
/// While it lives, a failed <see cref="Debug.Assert(bool, string)"/> throws <see cref="AssertionFailedException"/> instead of ending
/// the process (what .NET does by default), so a test can show that an invariant is checked.
/// </summary>
public sealed class FailingAsserts : IDisposable
{
    private static readonly Lock Gate = new();
    private readonly TraceListener[] _saved;

    public FailingAsserts()
    {
        Gate.Enter();
        _saved = [.. Trace.Listeners.Cast<TraceListener>()];
        Trace.Listeners.Clear();
        Trace.Listeners.Add(new Throwing());
    }

    public void Dispose()
    {
        Trace.Listeners.Clear();
        Trace.Listeners.AddRange(_saved);
        Gate.Exit();
    }

    public sealed class AssertionFailedException(string? message) : Exception(message);

    private sealed class Throwing : TraceListener
    {
        public override void Fail(string? message, string? detailMessage) => throw new AssertionFailedException(message);

        public override void Write(string? message)
        {
        }

        public override void WriteLine(string? message)
        {
        }
    }
}
