using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Akka.Persistence.Query;

namespace WalActors.Cluster.Query;

/// <summary>
/// The offset of the cluster read journal's envelopes: for each ledger, the position of the last event a query
/// delivered from it. A query started from an envelope's offset delivers, from each ledger, exactly the events after that
/// position (from the start for ledgers the vector does not name): every event the first query had not delivered yet,
/// none it had. Store it with <see cref="ToString"/> and read it back with <see cref="Parse"/>.
/// </summary>
/// <remarks>
/// The string form is <c>lv1</c> followed by <c>;LEDGER=ENTRY.RECORD</c> per ledger, in ordinal order of ledger ids
/// (ledger ids are escaped, so they hold no <c>;</c>, <c>=</c> or whitespace). Ledgers are independent, so vectors are
/// only partially ordered: <see cref="CompareTo"/> answers by position where one vector is at or after the other in every
/// ledger, and by the string form where neither is (a total order, not a causal one).
/// </remarks>
public sealed class LedgerVectorOffset : Offset, IEquatable<LedgerVectorOffset>
{
    private const string Version = "lv1";

    private LedgerVectorOffset(ImmutableSortedDictionary<string, LedgerPosition> positions) => Positions = positions;

    /// <summary>The vector that names no ledger: a query from it starts every ledger at its beginning.</summary>
    public static LedgerVectorOffset Empty { get; } = new(ImmutableSortedDictionary.Create<string, LedgerPosition>(StringComparer.Ordinal));

    /// <summary>Each named ledger's position of the last event delivered from it.</summary>
    public ImmutableSortedDictionary<string, LedgerPosition> Positions { get; }

    /// <summary>The vector with <paramref name="ledger"/> at <paramref name="position"/>.</summary>
    /// <exception cref="ArgumentException">The ledger id is empty or holds a character a ledger id never has, or the position is negative.</exception>
    public LedgerVectorOffset With(string ledger, LedgerPosition position)
    {
        if (!IsLedgerId(ledger))
        {
            throw new ArgumentException($"'{ledger}' is not a ledger id.", nameof(ledger));
        }

        if (position.Entry < 0 || position.Record < 0)
        {
            throw new ArgumentException($"A ledger position is never negative; got {position}.", nameof(position));
        }

        return new LedgerVectorOffset(Positions.SetItem(ledger, position));
    }

    /// <summary>The position of the last event delivered from <paramref name="ledger"/>, or null when none was.</summary>
    public LedgerPosition? PositionOf(string ledger) => Positions.TryGetValue(ledger, out var position) ? position : null;

    /// <summary>Reads a vector written by <see cref="ToString"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a ledger vector offset; the message says where it is not.</exception>
    public static LedgerVectorOffset Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var offset, out var problem) ? offset : throw new FormatException($"'{text}' is not a ledger vector offset: {problem}.");
    }

    /// <summary>Reads a vector written by <see cref="ToString"/>; false (and null) when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out LedgerVectorOffset offset) => TryParse(text, out offset, out _);

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder(Version);
        foreach (var (ledger, position) in Positions)
        {
            text.Append(';').Append(ledger).Append('=')
                .Append(position.Entry.ToString(CultureInfo.InvariantCulture)).Append('.')
                .Append(position.Record.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>
    /// 0 when equal; below 0 when this vector is at or before <paramref name="other"/> in every ledger (a ledger not named
    /// counts as before every position), above 0 when at or after it; otherwise by the string forms, ordinally.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> is not a <see cref="LedgerVectorOffset"/>.</exception>
    public override int CompareTo(Offset other)
    {
        if (other is not LedgerVectorOffset vector)
        {
            throw new ArgumentException($"A ledger vector offset compares only with another, not with {other?.GetType().Name ?? "null"}.", nameof(other));
        }

        if (Equals(vector))
        {
            return 0;
        }

        if (AtOrBefore(this, vector))
        {
            return -1;
        }

        return AtOrBefore(vector, this) ? 1 : string.CompareOrdinal(ToString(), vector.ToString());
    }

    /// <inheritdoc />
    public bool Equals(LedgerVectorOffset? other) =>
        other is not null && other.Positions.Count == Positions.Count
        && Positions.All(p => other.Positions.TryGetValue(p.Key, out var position) && position == p.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is LedgerVectorOffset other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (ledger, position) in Positions)
        {
            hash.Add(ledger, StringComparer.Ordinal);
            hash.Add(position);
        }

        return hash.ToHashCode();
    }

    // Ledger ids are made by ShardLocation: escaped parts (unreserved characters and %XX) joined by '+'.
    internal static bool IsLedgerId(string? ledger) =>
        !string.IsNullOrEmpty(ledger) && ledger.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '%' or '+');

    private static bool AtOrBefore(LedgerVectorOffset a, LedgerVectorOffset b) =>
        a.Positions.All(p => b.Positions.TryGetValue(p.Key, out var position) && p.Value <= position);

    private static bool TryParse(string? text, out LedgerVectorOffset offset, out string problem)
    {
        offset = null!;
        if (text is null)
        {
            problem = "it is null";
            return false;
        }

        var parts = text.Split(';');
        if (parts[0] != Version)
        {
            problem = $"it does not start with '{Version}'";
            return false;
        }

        var positions = ImmutableSortedDictionary.CreateBuilder<string, LedgerPosition>(StringComparer.Ordinal);
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i];
            var equals = part.LastIndexOf('=');
            var dot = part.LastIndexOf('.');
            if (equals <= 0 || dot < equals)
            {
                problem = $"part {i} ('{part}') is not LEDGER=ENTRY.RECORD";
                return false;
            }

            var ledger = part[..equals];
            if (!IsLedgerId(ledger))
            {
                problem = $"part {i} names '{ledger}', which is not a ledger id";
                return false;
            }

            if (!long.TryParse(part.AsSpan(equals + 1, dot - equals - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var entry)
                || !int.TryParse(part.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var record))
            {
                problem = $"part {i} ('{part}') has no non-negative entry and record numbers";
                return false;
            }

            if (!positions.TryAdd(ledger, new LedgerPosition(entry, record)))
            {
                problem = $"ledger '{ledger}' is named twice";
                return false;
            }
        }

        offset = new LedgerVectorOffset(positions.ToImmutable());
        problem = string.Empty;
        return true;
    }
}
