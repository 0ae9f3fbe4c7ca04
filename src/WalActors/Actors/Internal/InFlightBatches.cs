using Akka.Actor;

namespace WalActors.Actors.Internal;

/// <summary>
/// Every batch the facade has handed to the pipeline and the durability actor has not yet finished with: the ledger that
/// lets the facade answer what the pipeline can no longer answer, whichever way it stopped.
/// </summary>
/// <remarks>
/// <para>When a log is stopped abruptly (<c>Stop</c>, <c>PoisonPill</c>, system termination), Akka stops the pipeline
/// actors first and drops whatever is still in their mailboxes (a reservation, a written batch): the appends in those
/// batches would never be answered. When a pipeline actor crashes, or a graceful stop times out, the pipeline is still
/// running while the facade gives up on it. In every case the facade closes this ledger, which fails each entry not
/// yet answered.</para>
/// <para>Answering is serialized by <see cref="Gate"/>: the durability actor acknowledges or fails a batch's entries only
/// under it and only while the ledger is open, and <see cref="Close"/> fails the rest under it, so no entry is ever
/// answered twice, and none is acknowledged after the facade failed it.</para>
/// </remarks>
internal sealed class InFlightBatches
{
    private readonly HashSet<WriteBatch> _batches = new(ReferenceEqualityComparer.Instance);
    private long _writtenEnd = -1;
    private bool _closed;

    /// <summary>Held while answering entries of a tracked batch.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Whether the facade has given up on the pipeline; read under <see cref="Gate"/>.</summary>
    public bool IsClosed => _closed;

    /// <summary>
    /// The end of the written prefix whose barrier-free entries have been answered; set under <see cref="Gate"/> by the
    /// durability actor as it answers them.
    /// </summary>
    public long WrittenEnd
    {
        get => _writtenEnd;
        set => _writtenEnd = value;
    }

    /// <summary>The facade hands <paramref name="batch"/> to the pipeline.</summary>
    public void Track(WriteBatch batch)
    {
        lock (Gate)
        {
            _batches.Add(batch);
        }
    }

    /// <summary>The durability actor is done with <paramref name="batch"/>; call under <see cref="Gate"/>, before it is pooled again.</summary>
    public void Untrack(WriteBatch batch) => _batches.Remove(batch);

    /// <summary>
    /// Fails every entry not yet answered with <paramref name="reason"/>; nothing tracked is answered by anyone else after
    /// this. Returns how many entries it failed.
    /// </summary>
    public int Close(WalException reason, bool barrierless, LogCapacity capacity, IActorRef log)
    {
        lock (Gate)
        {
            if (_closed)
            {
                return 0;
            }

            _closed = true;
            var failed = 0;
            foreach (var batch in _batches)
            {
                failed += AppendReplies.FailUnanswered(batch, _writtenEnd, barrierless, reason, capacity, log);
            }

            _batches.Clear();
            return failed;
        }
    }
}
