using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using WalActors.Host.Cli;
using WalActors.Host.Output;
using WalActors.Host.Runtime;
using WalActors.Logging;
using WalActors.Logging.Tail;

namespace WalActors.Host.Commands;

/// <summary><c>walactors tail --cluster ADDRESS</c>: every member's node log, followed from this process over Akka.Remote.</summary>
internal static class ClusterTailRun
{
    public static async Task<int> RunAsync(string seedAddress, string hostname, RecordFormat format, string? level, CancellationToken cancellation)
    {
        if (!Address.TryParse(seedAddress, out var seed) || seed.Host is null || seed.Port is null)
        {
            throw new UsageException($"--cluster '{seedAddress}' is not a node address such as akka.tcp://my-app@10.0.0.5:4053.");
        }

        var minimum = level is null ? -1 : LogEventRecord.Rank(level);

        // Not a member: a remote-only system the nodes stream to, so the cluster's membership is left as it is. Akka's
        // association warnings stay out of the output: a node going away is reported once, in one line, below.
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = ERROR
            akka.remote.log-remote-lifecycle-events = off
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "{{hostname}}", port = 0 }
            """).WithFallback(CommandSystemConfig.WithLogDefaults);
        var system = ActorSystem.Create("walactors-tail", config);
        try
        {
            var options = new ClusterLogTailOptions
            {
                NodeEnded = (node, cause) => Console.Error.WriteLine($"walactors: node {node}: its log stream ended{(cause is null ? "" : $" ({cause.Message})")}; following it again when it answers"),
            };
            await foreach (var entry in ClusterLogTail.Follow(system, seed, options, cancellation).ConfigureAwait(false))
            {
                if (TailLine.Of(entry.Lsn, entry.Payload.Span, format, minimum) is { } line)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entry.Node.Host}:{entry.Node.Port}\t{line}"));
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl+C ends the view normally.
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
