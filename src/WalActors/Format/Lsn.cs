using System.Globalization;

namespace WalActors;

/// <summary>
/// A log sequence number: the byte offset of a record's frame in the log. The first record of an empty log
/// is at LSN 0; an LSN never changes, even after retention drops the records before it.
/// </summary>
/// <param name="Value">The byte offset.</param>
public readonly record struct Lsn(long Value) : IComparable<Lsn>
{
    /// <summary>The byte offset; fixed for the life of the value (no setter, no <c>init</c>: <c>with</c> cannot change it).</summary>
    public long Value { get; } = Value;

    /// <summary>The position of the first record of an empty log.</summary>
    public static readonly Lsn Zero = new(0);

    /// <inheritdoc />
    public int CompareTo(Lsn other) => Value.CompareTo(other.Value);

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(Lsn left, Lsn right) => left.Value < right.Value;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(Lsn left, Lsn right) => left.Value > right.Value;

    /// <summary>Whether <paramref name="left"/> comes before or is <paramref name="right"/>.</summary>
    public static bool operator <=(Lsn left, Lsn right) => left.Value <= right.Value;

    /// <summary>Whether <paramref name="left"/> comes after or is <paramref name="right"/>.</summary>
    public static bool operator >=(Lsn left, Lsn right) => left.Value >= right.Value;

    /// <summary>The byte offset as a decimal number.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
