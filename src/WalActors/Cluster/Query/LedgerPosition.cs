namespace WalActors.Cluster.Query;

/// <summary>
/// Where one event is in a ledger: the entry (0, 1, 2, …, the same on every copy) and the record within it (an
/// AtomicWrite of several events is one entry). Ordered by entry, then record.
/// </summary>
/// <param name="Entry">The ledger entry's position, 0 or more.</param>
/// <param name="Record">The record's index within the entry, 0 or more.</param>
public readonly record struct LedgerPosition(long Entry, int Record) : IComparable<LedgerPosition>
{
    /// <inheritdoc />
    public int CompareTo(LedgerPosition other) => Entry != other.Entry ? Entry.CompareTo(other.Entry) : Record.CompareTo(other.Record);

    /// <summary>True when <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(LedgerPosition left, LedgerPosition right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(LedgerPosition left, LedgerPosition right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> is not after <paramref name="right"/>.</summary>
    public static bool operator <=(LedgerPosition left, LedgerPosition right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> is not before <paramref name="right"/>.</summary>
    public static bool operator >=(LedgerPosition left, LedgerPosition right) => left.CompareTo(right) >= 0;
}
