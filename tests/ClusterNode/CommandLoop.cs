using System.Globalization;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace WalActors.ClusterNode;

/// <summary>
/// Reads commands from stdin, one a line, each starting with the caller's request id, and runs them concurrently;
/// every command is answered with one line starting with its id:
/// <code>
/// ID persist ENTITY VALUE   ->  ID ack ENTITY SEQNR VALUE   (only after the journal acknowledged it)
///                           |   ID fail ENTITY REASON
/// ID read ENTITY            ->  ID events ENTITY [SEQNR:VALUE ...]   |   ID fail ENTITY REASON
/// ID shards                 ->  ID shards [SHARD ...]        (the shards this node hosts now)
/// ID members                ->  ID members UP-COUNT
/// ID blackhole PORT ...     ->  ID blackholed PORT ...       (once nothing passes to or from those nodes any more)
/// </code>
/// It returns when stdin closes, so a node never outlives whoever drives it.
/// </summary>
internal sealed class CommandLoop(ActorSystem system, IActorRef region, TextWriter answers, TimeSpan patience)
{
    private readonly Lock _writing = new();

    public async Task RunAsync(ChannelReader<string> commands)
    {
        var running = new List<Task>();
        await foreach (var line in commands.ReadAllAsync())
        {
            running.RemoveAll(task => task.IsCompleted);
            running.Add(Task.Run(() => AnswerAsync(line)));
        }

        await Task.WhenAll(running);
    }

    private async Task AnswerAsync(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
        {
            Answer($"? fail - unreadable command '{line}'");
            return;
        }

        var id = words[0];
        try
        {
            Answer($"{id} {await RunAsync(words)}");
        }
        catch (AskTimeoutException)
        {
            Answer($"{id} fail {(words.Length > 2 ? words[2] : "-")} timeout");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            Answer($"{id} fail - {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<string> RunAsync(string[] words)
    {
        switch (words[1])
        {
            case "persist":
                var entity = words[2];
                return await region.Ask<object>(new PersistValue(entity, words[3]), patience) switch
                {
                    Persisted persisted => $"ack {entity} {persisted.SequenceNr.ToString(CultureInfo.InvariantCulture)} {persisted.Value}",
                    NotPersisted refused => $"fail {entity} {refused.Reason}",
                    var other => $"fail {entity} unexpected answer {other.GetType().Name}",
                };
            case "read":
                var history = await region.Ask<History>(new ReadHistory(words[2]), patience);
                var events = history.SequenceNrs.Zip(history.Values, (nr, value) => $" {nr.ToString(CultureInfo.InvariantCulture)}:{value}");
                return $"events {words[2]}{string.Concat(events)}";
            case "shards":
                var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, patience);
                return $"shards{string.Concat(state.Shards.Select(shard => $" {shard.ShardId}"))}";
            case "members":
                var up = Akka.Cluster.Cluster.Get(system).State.Members.Count(member => member.Status == MemberStatus.Up);
                return $"members {up.ToString(CultureInfo.InvariantCulture)}";
            case "blackhole":
                var ports = words[2..].Select(port => int.Parse(port, CultureInfo.InvariantCulture)).ToList();
                return await RemoteBlackhole.CutAsync(system, ports)
                    ? $"blackholed{string.Concat(ports.Select(port => $" {port.ToString(CultureInfo.InvariantCulture)}"))}"
                    : "fail - the transport has no throttler";
            default:
                throw new ArgumentException($"unknown command '{words[1]}'");
        }
    }

    private void Answer(string line)
    {
        lock (_writing)
        {
            answers.WriteLine(line);
        }
    }
}
