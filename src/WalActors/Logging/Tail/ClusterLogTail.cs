using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace WalActors.Logging.Tail;

/// <summary>
/// A cluster-wide view of cluster-local logs: every node keeps its own log (<see cref="WalLogger"/>), and this follows
/// all of them from one place over Akka.Remote, each node's records streamed from its own log (a StreamRef, so a slow
/// viewer backpressures the stream and never the node's logging). <c>walactors tail --cluster ADDRESS</c> is built on it.
/// </summary>
public static class ClusterLogTail
{
    /// <summary>
    /// Follows the log of every member of the cluster <paramref name="seed"/> belongs to, from each log's head, then
    /// live, until <paramref name="cancellationToken"/> is cancelled: records of one node come in its LSN order, those of
    /// different nodes as they arrive. The member list is read again every <see cref="ClusterLogTailOptions.MembershipRefresh"/>
    /// (from the seed, or any node followed), so nodes that join later are followed too; a node whose stream ends (it
    /// stopped, or became unreachable) is reported to <see cref="ClusterLogTailOptions.NodeEnded"/> and followed again,
    /// from after its last record, once it answers again. A member that runs no <see cref="WalLogger"/> is not followed.
    /// </summary>
    /// <param name="system">An actor system with Akka.Remote (or Akka.Cluster) enabled; it need not be a member of the cluster.</param>
    /// <param name="seed">The address of any node of the cluster, e.g. <c>akka.tcp://my-app@10.0.0.5:4053</c>.</param>
    /// <param name="options">Timeouts and the node-ended callback; the defaults when null.</param>
    /// <param name="cancellationToken">Ends the view (and every node's stream).</param>
    /// <exception cref="NodeLogUnavailableException">The seed did not answer with its member list within <see cref="ClusterLogTailOptions.AskTimeout"/> (thrown by the first move of the enumerator).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static async IAsyncEnumerable<NodeLogEntry> Follow(ActorSystem system, Address seed, ClusterLogTailOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(seed);
        options ??= new ClusterLogTailOptions();
        options.Validate();
        var entries = Channel.CreateBounded<NodeLogEntry>(new BoundedChannelOptions(1024) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = new NodeFollowing(system, options, entries.Writer, stop.Token);
        var members = await following.ListAsync([seed]).ConfigureAwait(false)
            ?? throw new NodeLogUnavailableException(seed.ToString(), options.AskTimeout);
        var watching = following.WatchAsync(seed, members);
        try
        {
            await foreach (var entry in entries.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(false);
        }
    }

    /// <summary>Which nodes are followed, from where, and the loop that follows new ones.</summary>
    private sealed class NodeFollowing(ActorSystem system, ClusterLogTailOptions options, ChannelWriter<NodeLogEntry> entries, CancellationToken stop)
    {
        private readonly Dictionary<Address, long> _lastSeen = [];
        private readonly HashSet<Address> _active = [];
        private readonly Lock _lock = new();
        private readonly IMaterializer _materializer = system.Materializer();
        private readonly SharedKillSwitch _ending = KillSwitches.Shared("cluster-log-tail");

        /// <summary>The member list from the first of <paramref name="askable"/> that answers, or null.</summary>
        public async Task<IReadOnlyList<Address>?> ListAsync(IEnumerable<Address> askable)
        {
            foreach (var node in askable)
            {
                try
                {
                    var members = await NodeLogTailHost.At(system, node).Ask<NodeLogMembers>(ListNodeLogs.Instance, options.AskTimeout, stop).ConfigureAwait(false);
                    return [.. members.Addresses.Select(Address.Parse)];
                }
                catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                {
                }
            }

            return null;
        }

        public async Task WatchAsync(Address seed, IReadOnlyList<Address> members)
        {
            // Ending the view ends every node's stream, which would otherwise run on with nobody reading.
            using var ending = stop.Register(() => _ending.Shutdown());
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.WhenAll(members.Select(FollowAsync)).ConfigureAwait(false);
                    await Task.Delay(options.MembershipRefresh, stop).ConfigureAwait(false);
                    Address[] known;
                    lock (_lock)
                    {
                        known = [seed, .. _active.Where(a => a != seed)];
                    }

                    members = await ListAsync(known).ConfigureAwait(false) ?? [];
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        private async Task FollowAsync(Address node)
        {
            long after;
            lock (_lock)
            {
                if (!_active.Add(node))
                {
                    return;
                }

                after = _lastSeen.GetValueOrDefault(node, -1);
            }

            ISourceRef<byte[]> records;
            try
            {
                records = await NodeLogTailHost.At(system, node).Ask<ISourceRef<byte[]>>(new FollowNodeLog(after), options.AskTimeout, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                // Not (yet) logging with WalLogger, or unreachable: asked again at the next refresh.
                Ended(node, null, report: false);
                return;
            }

            _ = records.Source
                .Via(_ending.Flow<byte[]>())
                .Select(bytes => NodeLogEntry.Decode(node, bytes))
                .SelectAsync(1, async entry =>
                {
                    await entries.WriteAsync(entry, stop).ConfigureAwait(false);
                    lock (_lock)
                    {
                        _lastSeen[node] = entry.Lsn.Value;
                    }

                    return entry;
                })
                .RunWith(Sink.Ignore<NodeLogEntry>(), _materializer)
                .ContinueWith(done => Ended(node, done.Exception?.GetBaseException(), report: !stop.IsCancellationRequested), TaskScheduler.Default);
        }

        private void Ended(Address node, Exception? cause, bool report)
        {
            lock (_lock)
            {
                _active.Remove(node);
            }

            if (report)
            {
                options.NodeEnded?.Invoke(node, cause);
            }
        }
    }
}
