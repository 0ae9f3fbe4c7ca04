using WalActors.Storage;

namespace WalActors.Actors.Internal;

/// <summary>
/// Recovery opened the store and made it consistent; the facade now owns the store. <paramref name="Prefix"/> is what the
/// scan found up to the recovered end (the consumers' latest commits among it), which the recovery point actor continues.
/// </summary>
internal sealed record RecoveryCompleted(IWalStore Store, RecoveryReport Report, Recovery.LogPrefix Prefix);

/// <summary>Recovery could not open the log, or refused it.</summary>
internal sealed record RecoveryFailed(WalException Reason);

/// <summary>Stop accepting appends, finish those in flight, issue a last barrier and release the log.</summary>
internal sealed class Shutdown
{
    public static readonly Shutdown Instance = new();

    private Shutdown()
    {
    }
}

/// <summary>A graceful shutdown took longer than its timeout.</summary>
internal sealed class ShutdownTimedOut
{
    public static readonly ShutdownTimedOut Instance = new();

    private ShutdownTimedOut()
    {
    }
}

/// <summary>Asks for a reply once the log is ready (the reply is <see cref="WalReady"/>), or a failure if it faults.</summary>
internal sealed class AwaitReady
{
    public static readonly AwaitReady Instance = new();

    private AwaitReady()
    {
    }
}

/// <summary>
/// The facade gives up on the pipeline (a graceful stop timed out, or a pipeline actor crashed): the durability actor
/// fails what it holds, answers sync waiters and tailing readers with <paramref name="Reason"/>, and acknowledges nothing more.
/// </summary>
internal sealed record Abandon(WalException Reason);
