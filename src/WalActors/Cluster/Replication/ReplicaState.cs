namespace WalActors.Cluster.Replication;

/// <summary>
/// A replica's state as its log's records build it: the view, the highest epoch seen, and the writer whose batches the
/// view ends with. Start-up replays every record through <see cref="Apply"/>, and a live replica applies each batch the
/// same way once it is durable, so a restarted replica is exactly the one that stopped.
/// </summary>
internal sealed class ReplicaState
{
    public ReplicaView View { get; } = new();

    /// <summary>The highest epoch seen (fenced, or written by): requests of a lower one are refused.</summary>
    public long Promised { get; set; } = -1;

    /// <summary>The epoch of the writer whose batches the view ends with; a batch of a higher one starts a new writer.</summary>
    public long WriterEpoch { get; private set; } = -1;

    /// <summary>
    /// The highest quorum end a writer aligned with this copy told it: entries below it are acknowledged and agree with
    /// every later writer's log (recovery keeps them, a truncate never reaches below them), so readers may see them.
    /// </summary>
    public long Committed { get; private set; }

    /// <summary>The highest committed end in the copy's log (what a restarted copy starts from); at most <see cref="Committed"/>.</summary>
    public long PersistedCommitted { get; private set; }

    /// <summary>Where readers of this copy must stop: the committed end, or the copy's own end when it holds less.</summary>
    public long CommittedEnd => Math.Min(Committed, View.End);

    /// <summary>
    /// Takes a committed end the copy's writer told it with no batch to write it with: readers see it at once; it
    /// reaches the log with the next batch, or alone once the copy has been idle a while (a restarted copy may show
    /// less until its writer tells it again, never more).
    /// </summary>
    public void Learn(long committed) => Committed = Math.Max(Committed, committed);

    /// <exception cref="InvalidDataException">The record does not follow from the ones before it.</exception>
    public void Apply(ReplicaRecord record, Lsn lsn)
    {
        switch (record.Kind)
        {
            case ReplicaRecordKind.Fence:
                Promised = Math.Max(Promised, record.WriterEpoch);
                break;
            case ReplicaRecordKind.Truncate:
                if (record.Position > View.End)
                {
                    throw new InvalidDataException($"A replica truncate at {lsn} names position {record.Position}, past the end {View.End}.");
                }

                View.Truncate(record.Position);
                WriterEpoch = record.WriterEpoch;
                Promised = Math.Max(Promised, record.WriterEpoch);
                break;
            case ReplicaRecordKind.Committed:
                PersistedCommitted = Math.Max(PersistedCommitted, record.Position);
                Committed = Math.Max(Committed, record.Position);
                break;
            default:
                if (record.WriterEpoch != WriterEpoch || record.Position != View.End)
                {
                    throw new InvalidDataException(
                        $"A replica entry at {lsn} (position {record.Position}, writer epoch {record.WriterEpoch}) does not follow position {View.End} of writer epoch {WriterEpoch}.");
                }

                View.Append(record.EntryEpoch, lsn);
                break;
        }
    }
}
