using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace WalActors.Logging;

/// <summary>
/// An Akka logger that writes every log event as one record to a node-local write-ahead log. Enable it with
/// <c>akka.loggers = ["WalActors.Logging.WalLogger, WalActors"]</c> or <c>WithWalLogging()</c> in Akka.Hosting.
/// </summary>
/// <remarks>
/// Logging never waits: events are appended with a fire-and-forget <see cref="Append"/>, at <see cref="Durability.Written"/>
/// by default, so no barrier is paid per event and actors that log are never slowed. With Akka.Remote or Akka.Cluster
/// the log's folder is named after the node's address, so several nodes on one machine keep separate logs; read one with
/// <c>walactors tail --dir DIR --follow</c>.
/// <para>Bounded: the node log holds at most <c>walactors.log.max-pending-appends</c> events not yet written (100,000 by
/// default). Events beyond that are dropped rather than queued without limit, counted, and the count is written to the
/// log as a warning once it has room again (or in its closing record). On CoordinatedShutdown the logger writes the
/// log's shutdown event as its last record, then closes it; events logged after that are not kept.</para>
/// </remarks>
public sealed class WalLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>, IWithTimers
{
    // Events logged before the node's address is known (remoting binds after the loggers start) wait here.
    private const int MaxEarlyEvents = 10_000;
    private static readonly TimeSpan AddressWait = TimeSpan.FromSeconds(30);

    private readonly Queue<LogEvent> _early = new();
    private readonly DateTime _started = DateTime.UtcNow;
    private IActorRef? _log;
    private WalLoggingOptions? _options;
    private EventAdmission? _admission;
    private string _logDirectory = "";
    private bool _closing;
    private long _failures;

    /// <summary>Created by the actor system's logging bus.</summary>
    public WalLogger()
    {
        Receive<InitializeLogger>(_ =>
        {
            _options = WalLoggingOptions.FromConfig(Context.System.Settings.Config);
            StopLogOnShutdown();
            TryStart();
            Sender.Tell(new LoggerInitialized());
        });
        Receive<LogEvent>(logEvent =>
        {
            if (_closing)
            {
                // The log is closing (its own last events among these): they have nowhere to go.
                return;
            }

            if (_log is not null)
            {
                Write(logEvent);
            }
            else if (_early.Count < MaxEarlyEvents)
            {
                _early.Enqueue(logEvent);
            }
        });
        Receive<TryAgain>(_ =>
        {
            if (_log is null)
            {
                TryStart();
            }
        });
        Receive<StopLog>(_ =>
        {
            // Queued behind every event this logger has received, so all of them reach the log before it stops; the
            // closing record takes the place the admission keeps for it, so it never waits for room.
            if (_log is null)
            {
                StartAndFlush();
            }

            if (_closing)
            {
                // Asked again (a second shutdown): the closing record is written already.
                _log!.Forward(WriteAheadLog.ShutdownMessage);
                return;
            }

            _closing = true;
            var dropped = _admission!.TakeRemaining();
            _admission.AdmitClosing();
            Send(new LogEventRecord(DateTime.UtcNow, "INFO", _log!.Path.ToString(), typeof(WalLogger).FullName!, Environment.CurrentManagedThreadId,
                $"WalActors: {_logDirectory} shutting down (CoordinatedShutdown); events logged after this are not kept here" +
                (dropped > 0 ? $"; {dropped:N0} events were dropped since the last report" : ""), null));
            _log.Forward(WriteAheadLog.ShutdownMessage);
        });
        Receive<Appended>(_ =>
        {
            _admission!.Answered();
            ReportDrops();
        });
        Receive<AppendFailed>(failed =>
        {
            _admission!.Answered();
            switch (failed.Reason)
            {
                case WalOverloadedException:
                    // Only the byte bound can refuse: the admission never sends more appends than the log holds.
                    _admission.Drop();
                    break;
                case WalStoppedException when _closing:
                    break;
                default:
                    // Reporting through Akka logging would feed the failure back into this logger.
                    if (_failures++ % 10_000 == 0)
                    {
                        Console.Error.WriteLine($"WalLogger: a log event could not be written ({failed.Reason.Message})");
                    }

                    break;
            }
        });
    }

    /// <summary>Schedules the logger's timers.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The folder this node's events go to: the configured directory, then the system name and, with remoting, the node's address.</summary>
    public static string NodeDirectory(ActorSystem system, WalLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        var address = KnownAddress(system);
        var node = address?.Host is null ? system.Name : $"{system.Name}@{address.Host}_{address.Port}";
        return Path.Combine(options.Directory, node);
    }

    // Remoting reports its address only once its transports are bound, after the loggers started.
    private static Address? KnownAddress(ActorSystem system)
    {
        try
        {
            return ((ExtendedActorSystem)system).Provider.DefaultAddress;
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool UsesRemoting(ActorSystem system)
    {
        var provider = system.Settings.ProviderClass;
        return provider.Contains("Remote", StringComparison.OrdinalIgnoreCase) || provider.Contains("Cluster", StringComparison.OrdinalIgnoreCase);
    }

    private void Write(LogEvent logEvent)
    {
        if (_admission!.TryAdmit())
        {
            Send(LogEventRecord.From(logEvent));
        }
    }

    private void Send(LogEventRecord record) => _log!.Tell(new Append(record.ToUtf8Json(), _options!.Durability), Self);

    /// <summary>Writes how many events were dropped since the last report, once the log has room for the report.</summary>
    private void ReportDrops()
    {
        if (!_closing && _admission!.TryTakeReport(out var dropped))
        {
            Send(new LogEventRecord(DateTime.UtcNow, "WARNING", Self.Path.ToString(), typeof(WalLogger).FullName!, Environment.CurrentManagedThreadId,
                $"WalLogger: {dropped:N0} log events were dropped: the node log already held as many events as it takes " +
                "(walactors.log.max-pending-appends) while its disk caught up", null));
        }
    }

    private void TryStart()
    {
        var system = Context.System;
        var addressKnown = KnownAddress(system) is { Host: not null };
        if (UsesRemoting(system) && !addressKnown && DateTime.UtcNow - _started < AddressWait)
        {
            Timers.StartSingleTimer(TryAgain.Instance, TryAgain.Instance, TimeSpan.FromMilliseconds(20));
            return;
        }

        StartAndFlush();
    }

    private void StartAndFlush()
    {
        Start();
        while (_early.TryDequeue(out var logEvent))
        {
            Write(logEvent);
        }
    }

    private void StopLogOnShutdown()
    {
        var self = Self;
        var timeout = WalOptions.FromConfig(Akka.Configuration.Config.Empty).ShutdownTimeout + TimeSpan.FromSeconds(5);
        CoordinatedShutdown.Get(Context.System).AddTask(WriteAheadLog.ShutdownPhase, $"walactors-stop-logger-{Guid.NewGuid():N}", async () =>
        {
            await self.Ask<Akka.Done>(StopLog.Instance, timeout).ConfigureAwait(false);
            return Akka.Done.Instance;
        });
    }

    private void Start()
    {
        var options = _options!;
        var config = Context.System.Settings.Config;
        var logSettings = config.HasPath(WalOptions.ConfigPath) ? config.GetConfig(WalOptions.ConfigPath) : Akka.Configuration.Config.Empty;
        var walOptions = WalOptions.FromConfig(logSettings) with
        {
            Directory = NodeDirectory(Context.System, options),
            SegmentSize = options.SegmentSize,
            RetentionMaxBytes = options.RetentionMaxBytes,
        };
        _log = WriteAheadLog.StartChild(Context, walOptions, "log");
        _logDirectory = walOptions.Directory;
        StartTailHost(_log);
        _admission = new EventAdmission(walOptions.MaxPendingAppends);
    }

    // At a fixed path, so that a viewer that knows only the node's address finds it (walactors tail --cluster).
    private static void StartTailHost(IActorRef log)
    {
        try
        {
            ((ExtendedActorSystem)Context.System).SystemActorOf(Tail.NodeLogTailHost.Props(log), Tail.NodeLogTailHost.Name);
        }
        catch (InvalidActorNameException)
        {
            // A second WalLogger in the same system: the first one's log is the node's, and it is served already.
        }
    }

    private sealed class StopLog
    {
        public static readonly StopLog Instance = new();
    }

    private sealed class TryAgain
    {
        public static readonly TryAgain Instance = new();
    }
}
