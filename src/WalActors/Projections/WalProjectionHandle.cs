using Akka.Streams;
using WalActors.Projections;

namespace WalActors;

/// <summary>A running <see cref="WalProjection"/>: stop it, wait for it, ask how far behind it is.</summary>
public sealed class WalProjectionHandle : IAsyncDisposable
{
    private readonly IKillSwitch _killSwitch;
    private readonly ProjectionStream _stream;

    internal WalProjectionHandle(string name, IKillSwitch killSwitch, Task completion, ProjectionStream stream)
    {
        Name = name;
        _killSwitch = killSwitch;
        Completion = completion;
        _stream = stream;
    }

    /// <summary>The projection's name.</summary>
    public string Name { get; }

    /// <summary>
    /// Completes when the projection has stopped after <see cref="StopAsync"/>; faults with the handler's exception, or
    /// the journal's typed error (<see cref="WalStoppedException"/>, <see cref="RecordTooLargeException"/>, ...), when
    /// that stopped it. Events handled after the last commit are handled again by the next start (except at most once).
    /// </summary>
    public Task Completion { get; }

    /// <summary>
    /// Stops taking new events, lets the handler finish the events it has, commits them, and completes with
    /// <see cref="Completion"/> (whose error, if any, it throws).
    /// </summary>
    public async Task StopAsync()
    {
        _killSwitch.Shutdown();
        await Completion.ConfigureAwait(false);
    }

    /// <summary>How many commit frames (offsets) this instance has written since it started.</summary>
    public long Commits => _stream.Commits;

    /// <summary>How many events this instance's handler has handled since it started.</summary>
    public long EventsHandled => _stream.Handled;

    /// <summary>
    /// How many events of the projection's query the journal holds after its committed offset: zero once it has handled
    /// and committed everything written so far.
    /// </summary>
    /// <exception cref="WalStoppedException">The journal's log has stopped.</exception>
    public Task<long> GetLagAsync(CancellationToken cancellationToken = default) => _stream.LagAsync(cancellationToken);

    /// <summary>Stops the projection as <see cref="StopAsync"/> does, ignoring how it ended.</summary>
    public async ValueTask DisposeAsync()
    {
        _killSwitch.Shutdown();
        await Completion.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }
}
