using System.Globalization;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Tests.Etcd;

namespace WalActors.Cluster.Tests.Nodes;

/// <summary>
/// Three (or more) ClusterNode processes on 127.0.0.1 forming one Akka cluster, each with a directory of its own and
/// every node a seed: a node can be killed and started again on the same port and directory, as a restarted machine.
/// With etcd proxies, each node reaches etcd through a proxy of its own, so one node can be cut off from etcd alone.
/// </summary>
public sealed class NodeCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(2);
    private readonly NodeProcess?[] _nodes;
    private readonly int[] _ports;
    private readonly string _etcdEndpoint;
    private readonly string _keyPrefix;
    private readonly string _directory;
    private readonly string _journal;
    private readonly EtcdProxy[] _etcdProxies;
    private readonly Lock _cutGate = new();
    private (int Index, HashSet<string> Shards, DateTime From)? _etcdCut;

    private NodeCluster(int size, string etcdEndpoint, string directory, string journal, bool etcdProxies)
    {
        _etcdProxies = etcdProxies ? [.. Enumerable.Range(0, size).Select(_ => new EtcdProxy(new Uri(etcdEndpoint).Port))] : [];
        _nodes = new NodeProcess?[size];
        _ports = [.. Enumerable.Range(0, size).Select(_ => LoopbackPorts.Free())];
        _etcdEndpoint = etcdEndpoint;
        _keyPrefix = $"tests/{Guid.NewGuid():N}/";
        _directory = directory;
        _journal = journal;
    }

    public int Size => _nodes.Length;

    /// <summary>The number of shards every node's sharding and journal use (the node's default).</summary>
    public const int Shards = 10;

    /// <summary>The nodes running now and not frozen, by index.</summary>
    public IReadOnlyList<(int Index, NodeProcess Node)> Live =>
        [.. _nodes.Select((node, index) => (index, node)).Where(n => n.node is { HasExited: false, IsFrozen: false }).Select(n => (n.index, n.node!))];

    /// <summary>The live nodes not blackholed from the others: the ones that can serve the cluster's entities.</summary>
    public IReadOnlyList<(int Index, NodeProcess Node)> Reachable => [.. Live.Where(n => !n.Node.IsCutOff)];

    /// <summary>
    /// Starts every node and returns once each is an Up member with its shard region; with <paramref name="etcdProxies"/>,
    /// each reaches etcd through its own <see cref="EtcdProxy"/>.
    /// </summary>
    public static async Task<NodeCluster> StartAsync(string etcdEndpoint, string directory, string journal, int size = 3, bool etcdProxies = false)
    {
        var cluster = new NodeCluster(size, etcdEndpoint, directory, journal, etcdProxies);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, size).Select(cluster.StartNodeAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9 of node <paramref name="index"/>.</summary>
    public async Task KillAsync(int index)
    {
        if (_nodes[index] is { } node)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Blackholes node <paramref name="index"/> from every other node; it keeps running, and its etcd connection.</summary>
    public Task BlackholeAsync(int index, TimeSpan patience) =>
        this[index].BlackholeAsync([.. _ports.Where((_, other) => other != index)], patience);

    /// <summary>
    /// Cuts node <paramref name="index"/> off from etcd (it keeps the cluster): from <paramref name="grace"/> after now,
    /// longer than its leases can outlive their last renewal, it can own none of <paramref name="shards"/>.
    /// </summary>
    public void CutFromEtcd(int index, IReadOnlyList<string> shards, TimeSpan grace)
    {
        var proxy = EtcdProxyOf(index);
        lock (_cutGate)
        {
            _etcdCut = (index, [.. shards], DateTime.UtcNow + grace);
        }

        proxy.Cut();
    }

    /// <summary>
    /// Persists sent from now on no longer count as sent to an owner cut off from etcd: the heal is coming, and one sent
    /// just before it may rightly be acknowledged once the owner has its leases back.
    /// </summary>
    public void EndEtcdCutWindow()
    {
        lock (_cutGate)
        {
            _etcdCut = null;
        }
    }

    /// <summary>Lets node <paramref name="index"/> reach etcd again (and ends the cut's window).</summary>
    public void HealEtcd(int index)
    {
        EndEtcdCutWindow();
        EtcdProxyOf(index).Heal();
    }

    /// <summary>
    /// Whether a persist of <paramref name="entity"/> sent through <paramref name="node"/> now could only be
    /// acknowledged by an owner cut off: the node itself is blackholed from the others, or the entity's shard is on a
    /// node cut off from etcd for longer than its leases last.
    /// </summary>
    public bool OnlyACutOffOwnerCouldAcknowledge(NodeProcess node, string entity)
    {
        if (node.IsCutOff)
        {
            return true;
        }

        lock (_cutGate)
        {
            return _etcdCut is { } cut && DateTime.UtcNow >= cut.From && cut.Shards.Contains(DefaultShardMapping.ShardOf(entity, Shards));
        }
    }

    /// <summary>Node <paramref name="index"/>'s process.</summary>
    public NodeProcess this[int index] => _nodes[index] ?? throw new InvalidOperationException($"node {index} never started");

    /// <summary>
    /// Starts every node that is not running again (same port, same directory) and waits until each is ready: the one
    /// a test killed, and any the cluster downed on its own (a loaded machine can make a live node look dead).
    /// Returns the indexes started.
    /// </summary>
    public async Task<IReadOnlyList<int>> RestartExitedAsync()
    {
        var exited = Enumerable.Range(0, Size).Where(i => _nodes[i] is null or { HasExited: true }).ToList();
        await Task.WhenAll(exited.Select(StartNodeAsync));
        return exited;
    }

    /// <summary>Asks every live node for its Up members until each counts <paramref name="count"/>.</summary>
    public async Task WaitForMembersAsync(int count, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        var expected = $"members {count.ToString(CultureInfo.InvariantCulture)}";
        while (true)
        {
            var answers = await Task.WhenAll(Live.Select(n => n.Node.AskAsync("members", patience)));
            if (answers.All(a => a == expected))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the nodes did not all see {count} members up within {patience}: {string.Join(", ", answers)}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The shards node <paramref name="index"/> hosts now.</summary>
    public async Task<IReadOnlyList<string>> ShardsAsync(int index, TimeSpan patience)
    {
        var answer = await this[index].AskAsync("shards", patience);
        return answer.StartsWith("shards", StringComparison.Ordinal) ? answer.Split(' ')[1..] : [];
    }

    /// <summary>The log (Akka's stderr) of node <paramref name="index"/>, every incarnation's.</summary>
    public string LogFile(int index) => Path.Combine(NodeDirectory(index), "node.log");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.OfType<NodeProcess>())
        {
            await node.DisposeAsync();
        }

        foreach (var proxy in _etcdProxies)
        {
            await proxy.DisposeAsync();
        }
    }

    private EtcdProxy EtcdProxyOf(int index) =>
        _etcdProxies.Length > 0 ? _etcdProxies[index] : throw new InvalidOperationException("this cluster was started without etcd proxies");

    private string NodeDirectory(int index) => Path.Combine(_directory, $"node-{index.ToString(CultureInfo.InvariantCulture)}");

    private async Task StartNodeAsync(int index)
    {
        if (_nodes[index] is { } previous)
        {
            await previous.DisposeAsync();
        }

        Directory.CreateDirectory(NodeDirectory(index));
        string[] arguments =
        [
            "--port", Text(_ports[index]), "--seeds", string.Join(',', _ports.Select(Text)),
            "--etcd", _etcdProxies.Length > 0 ? _etcdProxies[index].Endpoint : _etcdEndpoint, "--key-prefix", _keyPrefix, "--dir", NodeDirectory(index), "--journal", _journal, "--shards", Text(Shards),
        ];
        var node = NodeProcess.Start(_ports[index], arguments, LogFile(index));
        _nodes[index] = node;
        await node.WaitReadyAsync(StartPatience);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
