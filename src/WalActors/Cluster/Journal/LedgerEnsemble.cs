using System.IO.Hashing;
using System.Text;
using Akka.Actor;

namespace WalActors.Cluster.Journal;

/// <summary>
/// Which nodes keep a ledger's copies, computed alike on every node from the ledger id and the cluster's members:
/// rendezvous (highest-random-weight) hashing, so a member joining or leaving moves only the ledgers it ranks high for.
/// </summary>
internal static class LedgerEnsemble
{
    /// <summary><paramref name="members"/> ranked for <paramref name="ledger"/>, the most preferred first (ties by address).</summary>
    public static IReadOnlyList<Address> Rank(string ledger, IEnumerable<Address> members) =>
        [.. members.Distinct().OrderByDescending(m => Score(ledger, m)).ThenBy(m => m.ToString(), StringComparer.Ordinal)];

    /// <summary>
    /// The R − 1 followers of <paramref name="owner"/>'s copy: the highest-ranked of the other members, fewer when the
    /// cluster has fewer.
    /// </summary>
    public static IReadOnlyList<Address> FollowersOf(string ledger, Address owner, IEnumerable<Address> members, int replicas) =>
        [.. Rank(ledger, members.Where(m => !m.Equals(owner))).Take(replicas - 1)];

    private static ulong Score(string ledger, Address member) =>
        XxHash64.HashToUInt64(Encoding.UTF8.GetBytes($"{ledger}\n{member}"));
}
