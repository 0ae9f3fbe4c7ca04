using System.Globalization;

namespace WalActors.ClusterNode;

/// <summary>
/// The node's command line: <c>--port P --seeds P1,P2,P3 --etcd URL --key-prefix PREFIX --dir DIR [--journal local|cluster]
/// [--shards N] [--ask-timeout SECONDS]</c>. Every address is on 127.0.0.1.
/// </summary>
internal sealed record NodeArguments(int Port, IReadOnlyList<int> SeedPorts, string EtcdEndpoint, string KeyPrefix, string Directory, string Journal, int Shards, TimeSpan AskTimeout)
{
    public const string LocalJournal = "local";
    public const string ClusterJournal = "cluster";

    public static NodeArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"missing {name}");
        var journal = values.GetValueOrDefault("--journal", LocalJournal);
        if (journal is not (LocalJournal or ClusterJournal))
        {
            throw new ArgumentException($"--journal is '{journal}': local or cluster");
        }

        return new NodeArguments(
            int.Parse(Required("--port"), CultureInfo.InvariantCulture),
            [.. Required("--seeds").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))],
            Required("--etcd"),
            Required("--key-prefix"),
            Required("--dir"),
            journal,
            int.Parse(values.GetValueOrDefault("--shards", "10"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault("--ask-timeout", "5"), CultureInfo.InvariantCulture)));
    }
}
