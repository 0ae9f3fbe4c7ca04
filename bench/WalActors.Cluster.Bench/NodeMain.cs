using Akka.Actor;
using Akka.Configuration;

namespace WalActors.Cluster.Bench;

/// <summary>
/// The child side of <see cref="NodeProcess"/>: <c>node JOURNAL SEED SETTING ETCD</c> starts a node of role <c>host</c>
/// with that journal (SETTING is the journal's connection string or the run's directory, ETCD the etcd endpoint or
/// <c>-</c>), joins SEED, prints <c>up ADDRESS</c> and runs until its stdin closes.
/// </summary>
public static class NodeMain
{
    public static async Task RunAsync(string journal, string seed, string setting, string? etcdEndpoint)
    {
        var config = BenchJournals.For(journal, setting, etcdEndpoint, $"node-{Environment.ProcessId}");
        var node = await BenchNode.StartAsync(FailoverSettings.Host.WithFallback(config), Address.Parse(seed));
        Console.WriteLine($"up {node.Address}");
        await Console.In.ReadToEndAsync();
        await node.DisposeAsync();
    }
}
