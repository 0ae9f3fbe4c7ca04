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

    private WalLoggingOptions Logs(WalLoggingOptions options) => options with { Directory = _directory.Combine("logs") };

    private static async Task<(List<string?> Names, LogLevel Level, bool SeenByOthers)> LoggersAsync(string name, Action<AkkaConfigurationBuilder> configure)
    {
        var seen = RecordingLogger.Seen.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var host = new HostBuilder().ConfigureServices(services => services.AddAkka(name, configure)).Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        system.Log.Warning("seen by the other logger");
        var names = system.Settings.Loggers.Select(l => Type.GetType(l)?.FullName).ToList();
        var level = system.EventStream.LogLevel;
        var seenByOthers = names.Contains(typeof(RecordingLogger).FullName) && await Task.WhenAny(seen.Task, Task.Delay(TimeSpan.FromSeconds(30))) == seen.Task;
        await host.StopAsync();
        return (names, level, seenByOthers);
    }

    /// <summary>A logger of the application's own, to show it keeps receiving events.</summary>
    private sealed class RecordingLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
    {
        public static readonly ConcurrentDictionary<string, TaskCompletionSource> Seen = new();

        public RecordingLogger()
        {
            Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
            Receive<LogEvent>(e =>
            {
                if (e.Message?.ToString() == "seen by the other logger" && Seen.TryGetValue(Context.System.Name, out var seen))
                {
                    seen.TrySetResult();
                }
            });
        }
    }
}
