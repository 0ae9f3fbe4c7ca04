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
            // Queued behind every event this logger has received, so all of them reach the log before it stops.
            if (_log is null)
            {
                StartAndFlush();
            }

            _log!.Forward(WriteAheadLog.ShutdownMessage);
        });
        Receive<Appended>(_ => { });
        Receive<AppendFailed>(failed =>
        {
            // Reporting through Akka logging would feed the failure back into this logger.
            if (_failures++ % 10_000 == 0)
            {
                Console.Error.WriteLine($"WalLogger: a log event could not be written ({failed.Reason.Message})");
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

    private void Write(LogEvent logEvent) => _log!.Tell(new Append(LogEventRecord.From(logEvent).ToUtf8Json(), _options!.Durability), Self);

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
