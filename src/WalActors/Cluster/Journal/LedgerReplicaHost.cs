using Akka.Actor;
using Akka.Event;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Journal;

/// <summary>
/// One per actor system, at <see cref="Name"/> under <c>/system</c>: keeps this node's copy of every ledger as a child
/// <see cref="LedgerReplica"/> named after the ledger, all of them on one WalActors log in <c>ledger-copies</c> (so a
/// node's copies share its barriers, as a node-local journal's entities do). At start it reads that log once, rebuilds
/// every copy in it and starts them before it answers anything: a writer that probes a restarted node's copy by path
/// must find it running, not only once someone asks for it. Later copies start on demand (<see cref="EnsureReplica"/>,
/// answered with the child's ref).
/// </summary>
/// <remarks>
/// Fail-stop: when the log fails (a copy's write fails and the copy stops, or the log itself stops), every copy and the
/// log are stopped, and the log is opened and read anew; requests wait meanwhile. A log that cannot be opened or read,
/// or a directory still in the layout of one log per ledger, answers every request with
/// <see cref="LedgerCopiesUnavailableException"/>; the next request after that tries again.
/// </remarks>
internal sealed class LedgerReplicaHost : ReceiveActor, IWithUnboundedStash
{
    /// <summary>The host's name under <c>/system</c>, the same on every node.</summary>
    public const string Name = "walactors-ledger-replicas";

    // The log child's name (with its incarnation): EnsureReplica refuses a ledger id that starts with it.
    private const string LogName = "ledger-copies-log";

    // An unavailable log is tried again on a request no sooner than this after the last try, so the requests that
    // waited for that try are answered rather than each starting another.
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly ClusterJournalSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _stopping = [];
    private WalClient? _client;
    private int _incarnation;
    private long _retryAt;

    public LedgerReplicaHost(ClusterJournalSettings settings)
    {
        _settings = settings;
        Opening();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(ClusterJournalSettings settings) => Akka.Actor.Props.Create(() => new LedgerReplicaHost(settings));

    /// <summary>The path of the host on the node at <paramref name="address"/>.</summary>
    public static ActorPath PathAt(Address address) => new RootActorPath(address) / "system" / Name;

    protected override void PreStart() => Open();

    // A copy whose log fails stops for good (fail-stop); restarting it in place would hide the fault.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void Open()
    {
        try
        {
            RefuseOldLayout();
            var log = Context.Watch(WriteAheadLog.StartChild(Context, _settings.LedgerLog with { Directory = _settings.CopiesDirectory }, $"{LogName}-{++_incarnation}"));
            var client = new WalClient(Context.System, log);
            _client = client;
            ReplicaLogLoader.LoadAsync(client).PipeTo(Self, success: copies => new Loaded(client, copies), failure: e => new LoadFailed(e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Self.Tell(new LoadFailed(e));
        }
    }

    private void Opening()
    {
        Receive<Loaded>(loaded =>
        {
            foreach (var (ledger, state) in loaded.Copies)
            {
                StartCopy(ledger, loaded.Log, state);
            }

            Become(Serving);
            Stash.UnstashAll();
        });
        Receive<LoadFailed>(failed =>
        {
            var error = failed.Cause as LedgerCopiesUnavailableException
                ?? new LedgerCopiesUnavailableException(_settings.CopiesDirectory, "its log could not be opened and read", failed.Cause);
            _log.Error(failed.Cause, "This node's ledger copies are unavailable: {0}", error.Message);
            StopAll();
            _retryAt = Environment.TickCount64 + (long)RetryAfter.TotalMilliseconds;
            Become(() => Unavailable(error));
            Stash.UnstashAll();
        });
        Receive<Terminated>(_ => { });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Serving()
    {
        Receive<EnsureReplica>(ensure =>
        {
            if (!ActorPath.IsValidPathElement(ensure.Ledger) || ensure.Ledger.StartsWith(LogName, StringComparison.Ordinal))
            {
                Sender.Tell(new Status.Failure(new ArgumentException($"'{ensure.Ledger}' is not a valid ledger id.", nameof(ensure))));
                return;
            }

            var child = Context.Child(ensure.Ledger);
            Sender.Tell(new ReplicaReady(ensure.Ledger, child.IsNobody() ? StartCopy(ensure.Ledger, _client!, null) : child));
        });
        Receive<Terminated>(terminated =>
        {
            // Copies stop only when the log failed them, and the log only when it failed: the node's copies are
            // stopped together and rebuilt from the log, which decides whether they can serve.
            _log.Warning("{0} stopped: this node's ledger copies stop and are read again from their log", terminated.ActorRef.Path.Name);
            StopAll();
            Become(Restarting);
            ReopenWhenStopped();
        });
    }

    private void Restarting()
    {
        Receive<Terminated>(terminated =>
        {
            _stopping.Remove(terminated.ActorRef);
            ReopenWhenStopped();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Unavailable(LedgerCopiesUnavailableException error)
    {
        Receive<EnsureReplica>(_ =>
        {
            if (Environment.TickCount64 < _retryAt)
            {
                Sender.Tell(new Status.Failure(error));
                return;
            }

            Stash.Stash();
            Become(Restarting);
            ReopenWhenStopped();
        });
        Receive<Terminated>(terminated => _stopping.Remove(terminated.ActorRef));
    }

    private void ReopenWhenStopped()
    {
        // The old log must have released its lock before the new one opens the same directory.
        if (_stopping.Count == 0)
        {
            Become(Opening);
            Open();
        }
    }

    private static IActorRef StartCopy(string ledger, WalClient log, ReplicaState? state) =>
        Context.Watch(Context.ActorOf(LedgerReplica.OnNodeLog(ledger, log, state), ledger));

    private void StopAll()
    {
        foreach (var child in Context.GetChildren())
        {
            _stopping.Add(child);
            Context.Stop(child);
        }

        _client = null;
    }

    /// <summary>
    /// Before the node log, each copy had a log of its own in <c>ledgers/&lt;ledger id&gt;</c>. Those copies are not read
    /// (their records name no ledger), and starting empty beside them would let a new owner recover without what this
    /// node acknowledged: refuse until an operator moves them away.
    /// </summary>
    private void RefuseOldLayout()
    {
        var old = _settings.OldLayoutDirectory;
        if (Directory.Exists(old) && Directory.EnumerateFileSystemEntries(old).Any())
        {
            throw new LedgerCopiesUnavailableException(
                _settings.CopiesDirectory,
                $"'{old}' holds ledger copies in the layout of one log per ledger, which this version does not read; " +
                "drain the node (let its shards move and its copies be caught up elsewhere), then remove that directory");
        }
    }

    private sealed record Loaded(WalClient Log, Dictionary<string, ReplicaState> Copies);

    private sealed record LoadFailed(Exception Cause);
}
