using Akka.Actor;

namespace WalActors.Logging.Tail;

/// <summary>How <see cref="ClusterLogTail.Follow"/> finds the nodes and reports on them.</summary>
public sealed record ClusterLogTailOptions
{
    /// <summary>How long a node has to answer a request (the member list, or the start of its log's stream). 5 s by default.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the member list is read again, so that nodes that join (or come back) are followed too. 2 s by default.</summary>
    public TimeSpan MembershipRefresh { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Told when a node's stream ends (with why, or null when its log shut down); the node is followed again, from
    /// after its last record, once it is a member and answers again.
    /// </summary>
    public Action<Address, Exception?>? NodeEnded { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">A time is not positive.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AskTimeout, TimeSpan.Zero, nameof(AskTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MembershipRefresh, TimeSpan.Zero, nameof(MembershipRefresh));
    }
}
