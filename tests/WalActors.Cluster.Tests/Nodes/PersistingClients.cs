using System.Globalization;
using WalActors.Cluster.Tests.History;

namespace WalActors.Cluster.Tests.Nodes;

/// <summary>
/// Clients that keep persisting unique values to random entities through random live nodes, each awaiting its answer
/// before the next, and record every acknowledgement in the history checker. Until stopped.
/// </summary>
public sealed class PersistingClients : IAsyncDisposable
{
    // A live node answers within its own ask timeout (5 s), so this only bounds a hang. It must outlast a freeze: a
    // persist sent to a node just before it is frozen waits until every entity serves elsewhere (up to the rounds' 2
    // minutes) and the thawed node exits; 60 s was shorter than one failover on a loaded machine (68–71 s).
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private readonly NodeCluster _cluster;
    private readonly HistoryChecker _checker;
    private readonly int _entities;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients;
    private int _acknowledged;
    private int _failed;
    private int _sentToCutOff;
    private int _acknowledgedByCutOff;
    private int _awaitedFromCutOff;

    public PersistingClients(NodeCluster cluster, HistoryChecker checker, int clients, int entities, int seed)
    {
        _cluster = cluster;
        _checker = checker;
        _entities = entities;
        _clients = [.. Enumerable.Range(0, clients).Select(client => Task.Run(() => PersistAsync(client, new Random(seed + client))))];
    }

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Persists not acknowledged: refused, timed out, or sent to a node that was killed.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>
    /// Persists sent while only an owner cut off could acknowledge them: through a node blackholed from the others, or
    /// to an entity whose owner is cut off from etcd (<see cref="NodeCluster.OnlyACutOffOwnerCouldAcknowledge"/>).
    /// </summary>
    public int SentToCutOff => Volatile.Read(ref _sentToCutOff);

    /// <summary>
    /// Of those, the ones acknowledged: none can be, since every journal write needs a second copy on another node (and a
    /// persist to a shard elsewhere must cross the cut), and the owner's shard lease, which a node cut off from etcd loses.
    /// </summary>
    public int AcknowledgedByCutOff => Volatile.Read(ref _acknowledgedByCutOff);

    /// <summary>Waits until <paramref name="count"/> more acknowledgements than <paramref name="since"/> have arrived.</summary>
    public Task WaitForAcknowledgedAsync(int since, int count, TimeSpan patience) =>
        WaitUntilAsync(() => Acknowledged >= since + count, () => $"only {Acknowledged - since} of {count} persists were acknowledged within {patience}", patience);

    /// <summary>Waits until <paramref name="count"/> more persists than <paramref name="since"/> were sent that only an owner cut off could acknowledge.</summary>
    public Task WaitForSentToCutOffAsync(int since, int count, TimeSpan patience) =>
        WaitUntilAsync(() => SentToCutOff >= since + count, () => $"only {SentToCutOff - since} of {count} persists were sent to a cut-off owner within {patience}", patience);

    /// <summary>Waits until every persist sent that only an owner cut off could acknowledge has its answer.</summary>
    public Task WaitForCutOffAnsweredAsync(TimeSpan patience) =>
        WaitUntilAsync(() => Volatile.Read(ref _awaitedFromCutOff) == 0, () => $"{Volatile.Read(ref _awaitedFromCutOff)} persists sent to a cut-off owner were not answered within {patience}", patience);

    private async Task WaitUntilAsync(Func<bool> done, Func<string> shortfall, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(shortfall());
            }

            if (_clients.FirstOrDefault(c => c.IsFaulted) is { } faulted)
            {
                await faulted;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the clients once each has its last answer.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task PersistAsync(int client, Random random)
    {
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var live = _cluster.Live;
            if (live.Count == 0)
            {
                await Task.Delay(50);
                continue;
            }

            var node = live[random.Next(live.Count)].Node;
            var entity = random.Next(_entities).ToString(CultureInfo.InvariantCulture);
            var value = string.Create(CultureInfo.InvariantCulture, $"c{client}-{n}");
            // Read before sending: a node counts as cut off only once its blackhole (or etcd cut) is in place.
            var cutOff = _cluster.OnlyACutOffOwnerCouldAcknowledge(node, entity);
            if (cutOff)
            {
                Interlocked.Increment(ref _sentToCutOff);
                Interlocked.Increment(ref _awaitedFromCutOff);
            }

            var answer = (await node.AskAsync($"persist {entity} {value}", Patience)).Split(' ');
            if (answer is ["ack", var acknowledgedEntity, var sequenceNr, var acknowledgedValue] && acknowledgedEntity == entity && acknowledgedValue == value)
            {
                _checker.Acknowledged(entity, long.Parse(sequenceNr, CultureInfo.InvariantCulture), value);
                Interlocked.Increment(ref _acknowledged);
                if (cutOff)
                {
                    Interlocked.Increment(ref _acknowledgedByCutOff);
                }
            }
            else if (answer[0] == "fail")
            {
                Interlocked.Increment(ref _failed);
            }
            else
            {
                throw new InvalidOperationException($"persist {entity} {value} was answered '{string.Join(' ', answer)}'");
            }

            if (cutOff)
            {
                // After the tally above: a waiter that sees none awaited also sees every answer counted.
                Interlocked.Decrement(ref _awaitedFromCutOff);
            }
        }
    }
}
