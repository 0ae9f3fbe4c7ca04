using System.Collections.Concurrent;
using Akka.Actor;

namespace WalActors.Hosting;

/// <summary>
/// The logs an actor system started through <c>WithWriteAheadLog</c>, by name: what a hosted <see cref="IWalClient"/>
/// (keyed by that name) waits for. Akka.Hosting's ActorRegistry is keyed by type only, so names need their own table.
/// </summary>
internal sealed class HostedLogs : IExtension
{
    private static readonly HostedLogsId Id = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<IActorRef>> _logs = new(StringComparer.Ordinal);

    /// <summary>The system's table, created on first use.</summary>
    public static HostedLogs For(ActorSystem system) => (HostedLogs)((ExtendedActorSystem)system).RegisterExtension(Id);

    /// <summary>Records the log started under <paramref name="name"/>; a name is registered once (its actor's name is unique too).</summary>
    public void Register(string name, IActorRef log)
    {
        if (!Slot(name).TrySetResult(log))
        {
            throw new InvalidOperationException($"A write-ahead log named '{name}' is already registered in this actor system.");
        }
    }

    /// <summary>Completes with the log named <paramref name="name"/> once it has been started (at once if it has).</summary>
    public Task<IActorRef> WhenRegistered(string name) => Slot(name).Task;

    /// <summary>The log named <paramref name="name"/>, if it has been started.</summary>
    public bool TryGet(string name, out IActorRef log)
    {
        var task = Slot(name).Task;
        log = task.IsCompletedSuccessfully ? task.Result : ActorRefs.Nobody;
        return task.IsCompletedSuccessfully;
    }

    private TaskCompletionSource<IActorRef> Slot(string name) =>
        _logs.GetOrAdd(name, _ => new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class HostedLogsId : ExtensionIdProvider<HostedLogs>
    {
        public override HostedLogs CreateExtension(ExtendedActorSystem system) => new();
    }
}
