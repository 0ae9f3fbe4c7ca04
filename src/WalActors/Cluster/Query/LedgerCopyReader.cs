using Akka.Actor;
using WalActors.Cluster.Replication;

namespace WalActors.Cluster.Query;

/// <summary>
/// Reads one ledger's committed entries for a query, from one copy at a time: the first of <paramref name="copies"/>
/// (in order of preference) whose host and copy answer within the timeout, and the next one when that copy stops
/// answering. Copies agree on every committed entry, so switching copies mid-stream neither skips nor repeats one; a
/// copy that learned less of the committed end only makes the reader wait for it.
/// </summary>
/// <param name="ledger">The ledger's id.</param>
/// <param name="copies">Each copy's resolver (asks its node's host for the copy's ref), most preferred first; at least one.</param>
/// <param name="settings">Page size and timeout.</param>
internal sealed class LedgerCopyReader(string ledger, IReadOnlyList<Func<TimeSpan, Task<IActorRef>>> copies, ClusterQuerySettings settings)
{
    private int _current;
    private IActorRef? _copy;

    public string Ledger => ledger;

    /// <summary>
    /// The committed entries from <paramref name="from"/> on, at most a page (fewer when the copy caps its answer's
    /// size); empty when the copy has none committed there yet.
    /// </summary>
    /// <exception cref="LedgerQuorumException">No copy answered within the timeout (each was tried once).</exception>
    public async Task<IReadOnlyList<LedgerEntry>> ReadAsync(long from)
    {
        for (var tried = 0; tried < copies.Count; tried++)
        {
            try
            {
                _copy ??= await copies[_current](settings.Timeout).ConfigureAwait(false);
                var read = await _copy.Ask<RangeRead>(new ReadRange(ledger, from, settings.PageSize, CommittedOnly: true), settings.Timeout).ConfigureAwait(false);
                return read.Entries;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A host or copy that times out, is gone or answers with a failure: the next copy holds the same entries.
                _copy = null;
                _current = (_current + 1) % copies.Count;
            }
        }

        throw new LedgerQuorumException(ledger, 1, 0, settings.Timeout);
    }

    /// <summary>
    /// The resolvers of <paramref name="ensemble"/>'s copies: this node's first if it is a member, then the others in
    /// the ensemble's order, each asking that node's <see cref="Journal.LedgerReplicaHost"/> for its copy.
    /// </summary>
    public static IReadOnlyList<Func<TimeSpan, Task<IActorRef>>> CopiesOf(ActorSystem system, string ledger, IReadOnlyList<Address> ensemble)
    {
        var self = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        return [.. ensemble.OrderBy(a => a.Equals(self) ? 0 : 1).Select<Address, Func<TimeSpan, Task<IActorRef>>>(address => async timeout =>
            (await system.ActorSelection(Journal.LedgerReplicaHost.PathAt(address)).Ask<ReplicaReady>(new EnsureReplica(ledger), timeout).ConfigureAwait(false)).Replica)];
    }
}
