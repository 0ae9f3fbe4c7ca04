using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WalActors.Logging;
using WalActors.Tests.Support;

namespace WalActors.Tests.Logging;

public sealed class WithWalLoggingTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task With_nothing_else_configured_akkas_console_logger_stays_beside_the_wal_logger()
    {
        var loggers = await LoggersAsync("console-kept", builder => builder.WithWalLogging(Logs));

        Assert.Equal([typeof(DefaultLogger).FullName, typeof(WalLogger).FullName], loggers.Names);
    }

    [Fact]
    public async Task Loggers_and_the_level_configured_before_are_kept_and_still_receive_events()
    {
        var loggers = await LoggersAsync("others-kept", builder => builder
            .ConfigureLoggers(setup =>
            {
                setup.ClearLoggers();
                setup.AddLogger<RecordingLogger>();
                setup.LogLevel = LogLevel.WarningLevel;
            })
            .WithWalLogging(Logs));

        Assert.Equal([typeof(RecordingLogger).FullName, typeof(WalLogger).FullName], loggers.Names);
        Assert.Equal(LogLevel.WarningLevel, loggers.Level);
        Assert.True(loggers.SeenByOthers);
    }

    [Fact]
    public async Task Asked_to_the_wal_logger_is_the_only_one()
    {
        var loggers = await LoggersAsync("alone", builder => builder.WithWalLogging(Logs, keepOtherLoggers: false));

        Assert.Equal([typeof(WalLogger).FullName], loggers.Names);
    }

    [Fact]
    public async Task A_later_ConfigureLoggers_that_drops_the_wal_logger_is_reported_as_a_warning()
    {
        var loggers = await LoggersAsync("replaced", builder => builder
            .WithWalLogging(Logs)
            .ConfigureLoggers(setup =>
            {
                setup.ClearLoggers();
                setup.AddLogger<RecordingLogger>();
            }), "WithWalLogging: WalLogger is not among akka.loggers");

        Assert.Equal([typeof(RecordingLogger).FullName], loggers.Names);
        Assert.True(loggers.SeenByOthers);
    }

    private WalLoggingOptions Logs(WalLoggingOptions options) => options with { Directory = _directory.Combine("logs") };

    private static async Task<(List<string?> Names, LogLevel Level, bool SeenByOthers)> LoggersAsync(string name, Action<AkkaConfigurationBuilder> configure,
        string awaited = SeenByOthers)
    {
        var seen = RecordingLogger.Seen.GetOrAdd(name, _ => new RecordingLogger.Awaited(awaited));
        using var host = new HostBuilder().ConfigureServices(services => services.AddAkka(name, configure)).Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        system.Log.Warning(SeenByOthers);
        var names = system.Settings.Loggers.Select(l => Type.GetType(l)?.FullName).ToList();
        var level = system.EventStream.LogLevel;
        var seenByOthers = names.Contains(typeof(RecordingLogger).FullName) && await Task.WhenAny(seen.Completion.Task, Task.Delay(TimeSpan.FromSeconds(30))) == seen.Completion.Task;
        await host.StopAsync();
        return (names, level, seenByOthers);
    }

    private const string SeenByOthers = "seen by the other logger";

    /// <summary>A logger of the application's own, to show it keeps receiving events.</summary>
    private sealed class RecordingLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
    {
        public static readonly ConcurrentDictionary<string, Awaited> Seen = new();

        public RecordingLogger()
        {
            Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
            Receive<LogEvent>(e =>
            {
                if (Seen.TryGetValue(Context.System.Name, out var seen) && e.Message?.ToString()?.StartsWith(seen.Message, StringComparison.Ordinal) == true)
                {
                    seen.Completion.TrySetResult();
                }
            });
        }

        /// <summary>The start of the message a test waits for, and its completion.</summary>
        public sealed record Awaited(string Message)
        {
            public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
