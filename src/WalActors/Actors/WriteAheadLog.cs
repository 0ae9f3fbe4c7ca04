using Akka;
using Akka.Actor;
using WalActors.Actors;
using WalActors.Actors.Internal;
using WalActors.Recovery;
using WalActors.Storage;

namespace WalActors;

/// <summary>Starts write-ahead logs in an actor system.</summary>
public static class WriteAheadLog
{
    /// <summary>The CoordinatedShutdown phase in which logs finish in-flight appends, issue a last barrier and release their lock.</summary>
    public const string ShutdownPhase = CoordinatedShutdown.PhaseBeforeActorSystemTerminate;

    /// <summary>The actor name of a log started without one, and of the log <c>WithWriteAheadLog()</c> starts.</summary>
    public const string DefaultName = "wal";

    /// <summary>
    /// Starts the log in <see cref="WalOptions.Directory"/> as a top-level actor named <paramref name="name"/>, and registers
    /// its graceful stop with CoordinatedShutdown. Appends sent before recovery finishes are held and served in order.
    /// </summary>
    /// <remarks>
    /// Every request sent to the log is answered, however it ends: a graceful stop (<see cref="StopAsync"/>,
    /// CoordinatedShutdown), <c>Stop</c> or <c>PoisonPill</c>, a crash of one of its actors, or the system terminating.
    /// What cannot be served fails with <see cref="WalStoppedException"/> or <see cref="WalFaultedException"/>, also for
    /// requests sent after the actor has terminated. At most <see cref="WalOptions.MaxPendingAppends"/> appends (and about
    /// <see cref="WalOptions.MaxPendingBytes"/>) are held waiting; beyond that an append is answered at once with
    /// <see cref="AppendFailed"/> carrying <see cref="WalOverloadedException"/>.
    /// </remarks>
    /// <returns>
    /// The log's actor. Its protocol, request and reply: <see cref="Append"/> → <see cref="Appended"/>,
    /// <see cref="AppendBatch"/> → <see cref="BatchAppended"/>, <see cref="Sync"/> → <see cref="Synced"/>,
    /// <see cref="Read"/> → <see cref="ReadResult"/>, <see cref="TruncateBefore"/> → <see cref="TruncatedBefore"/>,
    /// <see cref="GetStatus"/> → <see cref="WalStatus"/>. Failures are uniform: an append fails with
    /// <see cref="AppendFailed"/> (a message carrying its correlation id, since appends are usually told, not asked);
    /// every other request fails with <see cref="Status.Failure"/> carrying the typed <see cref="WalException"/>, so
    /// <c>Ask&lt;T&gt;</c> throws it.
    /// </returns>
    /// <exception cref="ArgumentException">An option is out of range, or names a dispatcher the system does not have; the message names its HOCON key.</exception>
    public static IActorRef Start(ActorSystem system, WalOptions options, string name = DefaultName) =>
        Start(system, options, () => LogOpener.OpenStore(options.Directory, options.SegmentSize, options.RecycleSegments), Path.GetFullPath(options.Directory), name);

    /// <summary>
    /// Starts a log over a store of your own (any <see cref="IWalStore"/>), opened by <paramref name="openStore"/> on the
    /// log's I/O dispatcher when recovery begins; the log disposes it when it stops.
    /// </summary>
    /// <param name="system">The actor system.</param>
    /// <param name="options">The log's settings; <see cref="WalOptions.Directory"/> is not used.</param>
    /// <param name="openStore">Opens the store.</param>
    /// <param name="description">Names the log in messages and errors.</param>
    /// <param name="name">The actor's name.</param>
    public static IActorRef Start(ActorSystem system, WalOptions options, Func<IWalStore> openStore, string description, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(openStore);
        options.Validate();
        EnsureDefaults(system);
        options.ValidateDispatchers(system);
        var log = Launch(system, options, openStore, description, name);
        StopOnShutdown(system, log, options, $"walactors-stop-{name}");
        return log;
    }

    /// <summary>
    /// Starts a log as a child of <paramref name="context"/>'s actor, for components (like the logger) that own their log
    /// and stop it themselves, after everything they queued for it.
    /// </summary>
    internal static IActorRef StartChild(IActorContext context, WalOptions options, string name) =>
        StartChild(context, options, () => LogOpener.OpenStore(options.Directory, options.SegmentSize, options.RecycleSegments), Path.GetFullPath(options.Directory), name);

    /// <summary>A child log over a store of the owner's choosing (tests give a replica a disk that can lose power).</summary>
    internal static IActorRef StartChild(IActorContext context, WalOptions options, Func<IWalStore> openStore, string description, string name)
    {
        options.Validate();
        EnsureDefaults(context.System);
        options.ValidateDispatchers(context.System);
        return Launch(context, options, openStore, description, name);
    }

    private static IActorRef Launch(IActorRefFactory factory, WalOptions options, Func<IWalStore> openStore, string description, string name)
    {
        return factory.ActorOf(WalActor.Props(new LogHandle(options), openStore, description), name);
    }

    /// <summary>The message that stops a log gracefully, for owners that forward it in order behind their own appends.</summary>
    internal static object ShutdownMessage => Actors.Internal.Shutdown.Instance;

    /// <summary>
    /// Asks the log to finish in-flight appends, issue a last barrier and release its lock; completes when it has, and at
    /// once for a log that has already stopped. Appends sent meanwhile fail with <see cref="WalStoppedException"/>; those
    /// still unanswered when the log's <see cref="WalOptions.ShutdownTimeout"/> passes fail the same way.
    /// </summary>
    /// <exception cref="AskTimeoutException">The log did not finish within <paramref name="timeout"/>.</exception>
    public static Task StopAsync(IActorRef log, TimeSpan timeout) => log.Ask<Done>(Actors.Internal.Shutdown.Instance, timeout);

    private static void StopOnShutdown(ActorSystem system, IActorRef log, WalOptions options, string taskName) =>
        CoordinatedShutdown.Get(system).AddTask(ShutdownPhase, taskName, async () =>
        {
            // A log actor stopped by other means has already released its store. (One that stops while this asks is
            // answered from dead letters.)
            if (LogHandle.IsTerminated(log))
            {
                return Done.Instance;
            }

            await log.Ask<Done>(Actors.Internal.Shutdown.Instance, options.ShutdownTimeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return Done.Instance;
        });

    /// <summary>Makes the library's HOCON defaults (the I/O dispatcher among them) visible to <paramref name="system"/>.</summary>
    internal static void EnsureDefaults(ActorSystem system)
    {
        if (!system.Settings.Config.HasPath("walactors.io-dispatcher") || !system.Settings.Config.HasPath(LogMailbox.ConfigPath))
        {
            system.Settings.InjectTopLevelFallback(WalConfig.Defaults);
        }

        WalSystemExtension.Get(system);
    }
}
