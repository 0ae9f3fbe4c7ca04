using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using WalActors.Logging;
using WalActors.Tests.Support;

namespace WalActors.Tests.Logging;

[Collection(StandardErrorCapture.Name)]
public sealed class WalLoggerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_clean_shutdown_writes_the_logs_own_shutdown_event_last_and_reports_no_failed_event()
    {
        var errors = new StringWriter();
        var original = Console.Error;
        Console.SetError(errors);
        string nodeDirectory;
        try
        {
            var system = Start("clean-close", "");
            nodeDirectory = WalLogger.NodeDirectory(system, WalLoggingOptions.FromConfig(system.Settings.Config));
            Akka.Event.Logging.GetLogger(system, "app").Info("before shutdown");
            await system.Terminate();
        }
        finally
        {
            Console.SetError(original);
        }

        var events = Events(nodeDirectory);
        Assert.DoesNotContain("could not be written", errors.ToString());
        Assert.Contains(events, e => e.Message == "before shutdown");
        Assert.EndsWith("/log", events[^1].Source);
        Assert.Contains("shutting down", events[^1].Message);
        Assert.DoesNotContain("dropped", events[^1].Message);
    }

    [Fact]
    public async Task Events_beyond_what_the_log_holds_are_dropped_counted_and_the_count_is_in_the_log()
    {
        // Durable events and an hour between barriers: after the first barrier the log holds 16 events until it closes,
        // so nearly all of the 2,000 events below find it full.
        var system = Start("flooded", """
            walactors.logging.durability = durable
            walactors.log.max-pending-appends = 16
            walactors.log.sync-interval = 1h
            akka.loglevel = WARNING
            """);
        var nodeDirectory = WalLogger.NodeDirectory(system, WalLoggingOptions.FromConfig(system.Settings.Config));
        var log = Akka.Event.Logging.GetLogger(system, "flood");
        for (var i = 0; i < 2000; i++)
        {
            log.Warning("event {0}", i); // at warning only, so no event of Akka's own is among those counted
        }

        await system.Terminate();

        var events = Events(nodeDirectory);
        var kept = events.Count(e => e.Source.StartsWith("flood", StringComparison.Ordinal));
        var reported = events.Select(e => System.Text.RegularExpressions.Regex.Match(e.Message, @"([\d,]+) (log )?events were dropped"))
            .Where(m => m.Success)
            .Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(kept < 2000, $"kept {kept}: the log never filled");
        Assert.Equal(2000, kept + reported);
        Assert.Contains("shutting down", events[^1].Message);
    }

    private ActorSystem Start(string name, string extra) =>
        ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
            akka.loggers = ["WalActors.Logging.WalLogger, WalActors"]
            walactors.logging.directory = {{System.Text.Json.JsonSerializer.Serialize(_directory.Combine("logs"))}}
            walactors.log.segment-size = 1 MiB
            akka.loglevel = INFO
            {{extra}}
            """).WithFallback(WalConfig.Defaults));

    private static List<LogEventRecord> Events(string nodeDirectory) =>
        WalDirectory.Read(nodeDirectory)
            .Select(r => LogEventRecord.TryParse(r.Payload.Span, out var e) ? e : null)
            .OfType<LogEventRecord>()
            .ToList();
}
