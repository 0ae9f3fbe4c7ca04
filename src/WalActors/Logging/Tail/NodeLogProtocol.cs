namespace WalActors.Logging.Tail;

// The messages a cluster-wide log view exchanges with each node's log tail host (NodeLogSerializer binds them through
// this marker). The records themselves travel as byte arrays inside a StreamRef (NodeLogEntry.Encode).

/// <summary>Marks a message of the node log tail protocol, so that one HOCON binding names them all.</summary>
internal interface INodeLogMessage;

/// <summary>
/// Asks a node's tail host for a stream of its log's records after <paramref name="After"/> (an LSN the asker has seen;
/// -1 for the log's head); answered with an <c>ISourceRef&lt;byte[]&gt;</c>, or a failure.
/// </summary>
internal sealed record FollowNodeLog(long After) : INodeLogMessage;

/// <summary>Asks a node's tail host for the nodes whose logs it knows of; answered with <see cref="NodeLogMembers"/>.</summary>
internal sealed record ListNodeLogs : INodeLogMessage
{
    public static readonly ListNodeLogs Instance = new();
}

/// <summary>The addresses of the cluster's members as the answering node sees them (itself alone without Akka.Cluster).</summary>
internal sealed record NodeLogMembers(IReadOnlyList<string> Addresses) : INodeLogMessage;
