namespace WalActors.Persistence;

/// <summary>
/// Asks a WalActors journal or snapshot store (send it to the plugin's actor, e.g. <c>Persistence.Instance.Apply(system).JournalFor(null)</c>)
/// to compact its log now: every closed segment that holds a dead record is rewritten without them. The reply is
/// <see cref="LogCompacted"/>, or a <see cref="Akka.Actor.Status.Failure"/> with a <see cref="WalException"/> (the log
/// faulted or stopped, an I/O error; the log is unchanged where a step failed). Appends go on meanwhile; a pass the plugin
/// started by itself is finished first.
/// </summary>
public sealed class CompactLog
{
    /// <summary>The one instance.</summary>
    public static readonly CompactLog Instance = new();

    private CompactLog()
    {
    }
}
