using Akka.Configuration;

namespace WalActors.Host.Runtime;

/// <summary>
/// The Akka settings of every command that runs an actor system: warnings and errors to stderr, one line each, through
/// <see cref="StderrLogger"/>; nothing from Akka on stdout, not even before the loggers start.
/// </summary>
internal static class CommandSystemConfig
{
    public const string Hocon = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = OFF
        akka.loggers = ["WalActors.Host.Runtime.StderrLogger, WalActors.Host"]
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """;

    /// <summary>The settings with the log's defaults behind them.</summary>
    public static Config WithLogDefaults => ConfigurationFactory.ParseString(Hocon).WithFallback(WalConfig.Defaults);
}
