using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace WalActors.Logging.Tail;

/// <summary>
/// Serves this node's log (the one <see cref="WalLogger"/> writes) to other nodes and tools: a
/// <see cref="FollowNodeLog"/> is answered with a StreamRef of the log's records (followed at the written end, as the
/// logger writes), and <see cref="ListNodeLogs"/> with the cluster's members, so that one seed address leads a viewer to
/// every node. Started by the logger at <c>/system/walactors-log-tail</c>.
/// </summary>
internal sealed class NodeLogTailHost : ReceiveActor
{
    /// <summary>The host's name under <c>/system</c>: the same on every node, so a viewer finds it from an address alone.</summary>
    public const string Name = "walactors-log-tail";

    public NodeLogTailHost(IActorRef log)
    {
        var client = new WalClient(Context.System, log);
        var materializer = Context.System.Materializer();
        Receive<FollowNodeLog>(follow => OfferAsync(client, log, follow.After, materializer).PipeTo(Sender, failure: e => new Status.Failure(e)));
        Receive<ListNodeLogs>(_ => Sender.Tell(new NodeLogMembers(Members(Context.System))));
    }

    public static Props Props(IActorRef log) => Akka.Actor.Props.Create(() => new NodeLogTailHost(log));

    /// <summary>The host on the node at <paramref name="node"/>, as <paramref name="system"/> reaches it.</summary>
    public static ActorSelection At(ActorSystem system, Address node) => system.ActorSelection(new RootActorPath(node) / "system" / Name);

    private static async Task<ISourceRef<byte[]>> OfferAsync(WalClient client, IActorRef log, long after, IMaterializer materializer)
    {
        // A viewer resuming after a record starts at it (a record boundary) and skips it; a new one starts at the head.
        var from = after >= 0 ? new Lsn(after) : (await client.GetStatusAsync().ConfigureAwait(false)).Head;
        return await WalSource.Tail(log, from, Durability.Written)
            .Where(record => record.Lsn.Value > after)
            .Select(NodeLogEntry.Encode)
            .RunWith(StreamRefs.SourceRef<byte[]>(), materializer)
            .ConfigureAwait(false);
    }

    private static List<string> Members(ActorSystem system)
    {
        if (system is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
        {
            return [.. Akka.Cluster.Cluster.Get(system).State.Members
                .Where(m => m.Status is Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.WeaklyUp or Akka.Cluster.MemberStatus.Joining or Akka.Cluster.MemberStatus.Leaving)
                .Select(m => m.Address.ToString())];
        }

        return [((ExtendedActorSystem)system).Provider.DefaultAddress.ToString()];
    }
}
