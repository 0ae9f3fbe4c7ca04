namespace WalActors;

/// <summary>
/// The ActorRegistry key of the log started by <c>WithWriteAheadLog</c>: resolve it with
/// <c>registry.Get&lt;WriteAheadLogActor&gt;()</c> or inject <c>IRequiredActor&lt;WriteAheadLogActor&gt;</c>.
/// </summary>
public sealed class WriteAheadLogActor
{
    private WriteAheadLogActor()
    {
    }
}
