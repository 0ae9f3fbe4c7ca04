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
public sealed class WalLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private IActorRef? _log;
    private WalLoggingOptions? _options;
    private long _failures;

    /// <summary>Created by the actor system's logging bus.</summary>
    public WalLogger()
    {
        Receive<InitializeLogger>(_ =>
        {
            Start();
            Sender.Tell(new LoggerInitialized());
        });
        Receive<LogEvent>(logEvent => _log?.Tell(new Append(LogEventRecord.From(logEvent).ToUtf8Json(), _options!.Durability), Self));
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

    /// <summary>The folder this node's events go to: the configured directory, then the system name and, with remoting, the node's address.</summary>
    public static string NodeDirectory(ActorSystem system, WalLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        var node = address.Host is null ? system.Name : $"{system.Name}@{address.Host}_{address.Port}";
        return Path.Combine(options.Directory, node);
    }

    private void Start()
    {
        _options = WalLoggingOptions.FromConfig(Context.System.Settings.Config);
        var walOptions = WalOptions.FromConfig(Context.System.Settings.Config.GetConfig(WalOptions.ConfigPath)) with
        {
            Directory = NodeDirectory(Context.System, _options),
            SegmentSize = _options.SegmentSize,
            RetentionMaxBytes = _options.RetentionMaxBytes,
        };
        _log = WriteAheadLog.StartChild(Context, walOptions, "log");
    }
}
