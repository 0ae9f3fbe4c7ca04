using WalActors.Format;

namespace WalActors.Actors.Internal;

/// <summary>
/// The latest durable commit of every consumer of one log: loaded from what recovery found, then updated as commit frames
/// are acknowledged. Read by clients (where to resume) and by retention (what it must keep). Thread-safe.
/// </summary>
/// <remarks>
/// Commits of one consumer may be acknowledged out of order (writers finish out of order); the frame with the higher LSN
/// wins, as it does when recovery reads the log. A removal is kept as an entry, so an older commit acknowledged after it
/// cannot bring the consumer back.
/// </remarks>
internal sealed class ConsumerRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ConsumerCommit Commit, long Lsn)> _entries = new(StringComparer.Ordinal);

    public void Load(IReadOnlyDictionary<string, (ConsumerCommit Commit, long Lsn)> recovered)
    {
        lock (_gate)
        {
            _entries.Clear();
            foreach (var (name, entry) in recovered)
            {
                _entries[name] = entry;
            }
        }
    }

    /// <summary>Takes a commit acknowledged as written at <paramref name="lsn"/>, unless a later one of the same consumer is known.</summary>
    public void Apply(ConsumerCommit commit, long lsn)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(commit.Name, out var known) || known.Lsn < lsn)
            {
                _entries[commit.Name] = (commit, lsn);
            }
        }
    }

    /// <summary>The consumer's position, or null when it never committed or was removed.</summary>
    public ConsumerPosition? Find(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var entry) && !entry.Commit.Removed ? Position(entry) : null;
        }
    }

    /// <summary>Every registered consumer, by name.</summary>
    public IReadOnlyList<ConsumerPosition> All()
    {
        lock (_gate)
        {
            return [.. _entries.Values.Where(e => !e.Commit.Removed).Select(Position).OrderBy(p => p.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>The lowest position a consumer that is not lossy still needs, or null when none holds retention back.</summary>
    public long? RetentionLimit()
    {
        lock (_gate)
        {
            long? limit = null;
            foreach (var (commit, _) in _entries.Values)
            {
                if (!commit.Lossy && !commit.Removed)
                {
                    limit = Math.Min(limit ?? long.MaxValue, commit.Next);
                }
            }

            return limit;
        }
    }

    /// <summary>The commits of lossy consumers whose frames lie below <paramref name="lsn"/>: dropping them would forget the consumer.</summary>
    public IReadOnlyList<ConsumerCommit> LossyCommitsBelow(long lsn)
    {
        lock (_gate)
        {
            return [.. _entries.Values.Where(e => e.Commit.Lossy && !e.Commit.Removed && e.Lsn < lsn).Select(e => e.Commit)];
        }
    }

    private static ConsumerPosition Position((ConsumerCommit Commit, long Lsn) entry) =>
        new(entry.Commit.Name, new Lsn(entry.Commit.Next), entry.Commit.Lossy, new Lsn(entry.Lsn));
}
