using WalActors.Format;

namespace WalActors.Recovery;

/// <summary>The latest commit of every consumer, collected from commit frames met in LSN order.</summary>
internal sealed class ConsumerCommits
{
    private readonly Dictionary<string, (ConsumerCommit Commit, long Lsn)> _latest = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, (ConsumerCommit Commit, long Lsn)> Latest => _latest;

    /// <summary>Starts from commits a recovery point kept: each consumer's latest, with the LSN of its frame.</summary>
    public void Restore(IEnumerable<(ConsumerCommit Commit, long Lsn)> latest)
    {
        foreach (var entry in latest)
        {
            _latest[entry.Commit.Name] = entry;
        }
    }

    /// <summary>Takes the commit frame at <paramref name="lsn"/>: a later frame replaces an earlier one of the same consumer.</summary>
    /// <exception cref="LogDamagedException">A frame that validated holds no commit this version can read.</exception>
    public void Add(long lsn, ReadOnlySpan<byte> payload, string path)
    {
        ConsumerCommit commit;
        try
        {
            commit = ConsumerCommitCodec.Decode(payload);
        }
        catch (InvalidDataException e)
        {
            // Its checksum matched, so these are the bytes a writer meant: skipping it could resume a consumer too early.
            throw new LogDamagedException(path, lsn, $"a consumer commit does not decode ({e.Message})");
        }

        if (commit.Removed)
        {
            _latest.Remove(commit.Name);
        }
        else
        {
            _latest[commit.Name] = (commit, lsn);
        }
    }
}
