using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using WalActors.Logging;
using WalActors.Tests.Support;

namespace WalActors.Host.Tests;

public sealed class WalLoggerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_log_event_is_written_as_one_record_with_its_time_level_source_class_thread_message_and_exception()
    {
        var system = StartSystem("logging-app");
        var nodeDirectory = WalLogger.NodeDirectory(system, WalLoggingOptions.FromConfig(system.Settings.Config));
        var log = Akka.Event.Logging.GetLogger(system, "orders");
        log.Info("order {0} accepted", 42);
        log.Warning("stock is low");
        log.Error(new InvalidOperationException("payment declined"), "order {0} failed", 43);
        await system.Terminate();

        var events = WalDirectory.Read(nodeDirectory)
            .Select(r => LogEventRecord.TryParse(r.Payload.Span, out var e) ? e! : null)
            .OfType<LogEventRecord>()
            .Where(e => e.Source.StartsWith("orders", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(["order 42 accepted", "stock is low", "order 43 failed"], events.Select(e => e.Message));
        Assert.Equal(["INFO", "WARNING", "ERROR"], events.Select(e => e.Level));
        Assert.All(events, e => Assert.True(e.Time > DateTime.UtcNow.AddMinutes(-5) && e.Time <= DateTime.UtcNow));
        Assert.All(events, e => Assert.True(e.Thread > 0));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Class)));
        Assert.Contains("payment declined", events[2].Exception);
        Assert.Null(events[0].Exception);
    }

    [Fact]
    public async Task Tail_follow_shows_an_apps_log_events_live_and_level_filters_them()
    {
        var system = StartSystem("live-app");
        var nodeDirectory = WalLogger.NodeDirectory(system, WalLoggingOptions.FromConfig(system.Settings.Config));
        var log = Akka.Event.Logging.GetLogger(system, "live");
        log.Warning("first warning");
        await AwaitLogAsync(nodeDirectory, "first warning");
        using var follow = WalactorsProcess.Start(_directory.Path, "tail", "--dir", nodeDirectory, "--follow", "--level", "WARNING");
        follow.WaitForOutput("first warning", Patience);

        log.Info("just information");
        log.Warning("second warning");
        follow.WaitForOutput("second warning", Patience);
        log.Error("an error");
        follow.WaitForOutput("an error", Patience);

        Assert.DoesNotContain("just information", follow.Stdout);
        Assert.Matches(@"WARNING \[live[^\]]*\] second warning", follow.Stdout);
        Assert.Matches(@"ERROR   \[live[^\]]*\] an error", follow.Stdout);
        await system.Terminate();
    }

    [Fact]
    public async Task With_remoting_each_node_on_the_machine_keeps_its_own_log_named_after_its_address()
    {
        var remote = """
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """;
        var first = StartSystem("cluster-node", remote);
        var second = StartSystem("cluster-node", remote);
        var firstDirectory = WalLogger.NodeDirectory(first, WalLoggingOptions.FromConfig(first.Settings.Config));
        var secondDirectory = WalLogger.NodeDirectory(second, WalLoggingOptions.FromConfig(second.Settings.Config));
        Akka.Event.Logging.GetLogger(first, "node").Warning("from the first node");
        Akka.Event.Logging.GetLogger(second, "node").Warning("from the second node");
        await Task.WhenAll(first.Terminate(), second.Terminate());

        Assert.True(Directory.Exists(firstDirectory), string.Join(", ", Directory.GetFileSystemEntries(_directory.Combine("logs"))));
        Assert.NotEqual(firstDirectory, secondDirectory);
        Assert.Matches(@"cluster-node@127\.0\.0\.1_\d+$", firstDirectory);
        Assert.Contains(Messages(firstDirectory), m => m == "from the first node");
        Assert.DoesNotContain(Messages(firstDirectory), m => m == "from the second node");
        Assert.Contains(Messages(secondDirectory), m => m == "from the second node");
    }

    [Fact]
    public async Task Tail_cluster_follows_every_members_log_from_one_address_each_line_naming_its_node()
    {
        var cluster = """
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            """;
        var first = StartSystem("tailed-cluster", cluster);
        var second = StartSystem("tailed-cluster", cluster);
        var firstAddress = Akka.Cluster.Cluster.Get(first).SelfAddress;
        await Akka.Cluster.Cluster.Get(first).JoinAsync(firstAddress);
        await Akka.Cluster.Cluster.Get(second).JoinAsync(firstAddress);
        Akka.Event.Logging.GetLogger(first, "node").Warning("the first node speaks");
        Akka.Event.Logging.GetLogger(second, "node").Warning("the second node speaks");

        using var tail = WalactorsProcess.Start(_directory.Path, "tail", "--cluster", firstAddress.ToString(), "--level", "warning");
        tail.WaitForOutput("the first node speaks", Patience);
        tail.WaitForOutput("the second node speaks", Patience);
        Akka.Event.Logging.GetLogger(second, "node").Warning("and again, live");
        tail.WaitForOutput("and again, live", Patience);

        var secondAddress = Akka.Cluster.Cluster.Get(second).SelfAddress;
        Assert.Contains(CommandRuns.Lines(tail.Stdout), l => l.StartsWith($"127.0.0.1:{firstAddress.Port}\t", StringComparison.Ordinal) && l.Contains("the first node speaks", StringComparison.Ordinal));
        Assert.Contains(CommandRuns.Lines(tail.Stdout), l => l.StartsWith($"127.0.0.1:{secondAddress.Port}\t", StringComparison.Ordinal) && l.Contains("and again, live", StringComparison.Ordinal));
        Assert.DoesNotContain(CommandRuns.Lines(tail.Stdout), l => l.Contains("INFO", StringComparison.Ordinal));
        await Task.WhenAll(first.Terminate(), second.Terminate());
    }

    [Fact]
    public async Task Tail_cluster_at_an_address_where_no_node_answers_exits_4_with_one_error_line()
    {
        var nobody = StartSystem("gone", "akka.actor.provider = remote\nakka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }");
        var address = ((ExtendedActorSystem)nobody).Provider.DefaultAddress.ToString();
        await nobody.Terminate();

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "tail", "--cluster", address);
        Assert.Equal(4, exit);
        CommandRuns.AssertOneErrorLine(stdout, stderr, address);
    }

    [Theory]
    [InlineData("--cluster", "not-an-address")]
    [InlineData("--cluster", "akka.tcp://app@127.0.0.1:4053", "--dir", "somewhere")]
    [InlineData("--cluster", "akka.tcp://app@127.0.0.1:4053", "--journal")]
    public void Tail_cluster_with_a_bad_address_or_a_one_log_option_is_a_usage_error(params string[] arguments)
    {
        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, ["tail", .. arguments]);
        Assert.Equal(2, exit);
        CommandRuns.AssertNoStackTrace(stdout + stderr);
    }

    private ActorSystem StartSystem(string name, string extra = "")
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loggers = ["WalActors.Logging.WalLogger, WalActors"]
            akka.loglevel = INFO
            walactors.logging.directory = {{System.Text.Json.JsonSerializer.Serialize(_directory.Combine("logs"))}}
            {{extra}}
            """).WithFallback(WalConfig.Defaults);
        return ActorSystem.Create(name, config);
    }

    private static List<string> Messages(string nodeDirectory) =>
        WalDirectory.Read(nodeDirectory)
            .Select(r => LogEventRecord.TryParse(r.Payload.Span, out var e) ? e!.Message : null)
            .OfType<string>()
            .ToList();

    private static async Task AwaitLogAsync(string nodeDirectory, string message)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!(Directory.Exists(nodeDirectory) && SafeMessages(nodeDirectory).Contains(message)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{message}' was never written to {nodeDirectory}");
            await Task.Delay(50);
        }
    }

    private static List<string> SafeMessages(string nodeDirectory)
    {
        try
        {
            return Messages(nodeDirectory);
        }
        catch (NotAWalLogException)
        {
            return [];
        }
    }
}
