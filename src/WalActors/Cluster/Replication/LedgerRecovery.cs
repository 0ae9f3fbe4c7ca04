using Akka.Actor;

namespace WalActors.Cluster.Replication;

/// <summary>
/// BookKeeper's ledger recovery for a new owner: fence R − W + 1 copies (the writer's own among them) at the new epoch,
/// so that no older writer can complete a write any more and every acknowledged entry is on at least one fenced copy;
/// take the fenced copy that is ahead (latest last epoch, then longest) as the ledger; copy into the local copy what it
/// lacks from there. The other fenced copies are brought in line by the writer (<see cref="LedgerWriter"/>).
/// </summary>
internal static class LedgerRecovery
{
    private const int CopyPage = 256;

    /// <exception cref="LedgerFencedException">A copy has seen a higher epoch.</exception>
    /// <exception cref="LedgerQuorumException">
    /// Fewer than R − W + 1 copies, or not the local one, answered in time; or the copy ahead did not serve its entries,
    /// or the local copy did not take them, in time.
    /// </exception>
    public static async Task<RecoveredLedger> RunAsync(ReplicatedLedgerOptions options)
    {
        IActorRef[] copies = [options.Local, .. options.Followers];
        var fences = copies.Select(c => AskAsync(c, new Fence(options.Ledger, options.Epoch), options.Timeout)).ToList();
        var fenced = new Dictionary<int, Fenced>();
        var waiting = new List<Task<object?>>(fences);
        while (waiting.Count > 0 && !(fenced.Count >= options.FenceQuorum && fenced.ContainsKey(0)))
        {
            var done = await Task.WhenAny(waiting).ConfigureAwait(false);
            waiting.Remove(done);
            Take(options, fences.IndexOf(done), done, fenced);
        }

        // Answers already in count too: every fenced copy is one the writer can bring in line at once.
        foreach (var done in waiting.Where(t => t.IsCompleted))
        {
            Take(options, fences.IndexOf(done), done, fenced);
        }

        if (fenced.Count < options.FenceQuorum || !fenced.TryGetValue(0, out var local))
        {
            throw new LedgerQuorumException(options.Ledger, options.FenceQuorum, fenced.Count, options.Timeout);
        }

        var (bestIndex, best) = fenced.Aggregate((a, b) => EpochHistory.IsAhead(b.Value.DurableEnd, b.Value.History, a.Value.DurableEnd, a.Value.History) ? b : a);
        var from = EpochHistory.Divergence(best.History, best.DurableEnd, local.DurableEnd, EpochHistory.LastEpoch(local.History));
        var first = true;
        while (first || from < best.DurableEnd)
        {
            IReadOnlyList<LedgerEntry> entries = [];
            if (from < best.DurableEnd && bestIndex != 0)
            {
                // The copy ahead must serve what it holds: without it this owner cannot tell what was acknowledged.
                var read = await AskAsync(copies[bestIndex], new ReadRange(options.Ledger, from, CopyPage), options.Timeout).ConfigureAwait(false);
                entries = read is RangeRead { Entries.Count: > 0 } range ? range.Entries
                    : throw new LedgerQuorumException(options.Ledger, options.FenceQuorum, fenced.Count - 1, options.Timeout);
            }

            // The first batch at this epoch also drops what the local copy holds past the divergence (no quorum had it).
            from = await CopyAsync(options, from, entries).ConfigureAwait(false);
            first = false;
        }

        return new RecoveredLedger(best.DurableEnd, best.History, fenced.Where(f => f.Key != 0).ToDictionary(f => f.Key, f => f.Value));
    }

    /// <summary>
    /// Asks, and asks again every quarter of <paramref name="timeout"/> until it has passed, then gives null: Akka.Remote
    /// delivers at most once, and every recovery request is idempotent (a fence at the same epoch, a read, a batch the
    /// copy already holds). The caller turns the null into the typed error its step owes.
    /// </summary>
    private static async Task<object?> AskAsync(IActorRef copy, object request, TimeSpan timeout)
    {
        var attempt = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks));
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                return await copy.Ask<object>(request, attempt).ConfigureAwait(false);
            }
            catch (AskTimeoutException) when (Environment.TickCount64 + attempt.TotalMilliseconds <= deadline)
            {
            }
            catch (AskTimeoutException)
            {
                return null;
            }
        }
    }

    private static void Take(ReplicatedLedgerOptions options, int index, Task<object?> answer, Dictionary<int, Fenced> fenced)
    {
        if (!answer.IsCompletedSuccessfully)
        {
            return;
        }

        switch (answer.Result)
        {
            case Fenced f:
                fenced[index] = f;
                break;
            case Refused r:
                throw new LedgerFencedException(options.Ledger, options.Epoch, r.HighestEpoch);
        }
    }

    private static async Task<long> CopyAsync(ReplicatedLedgerOptions options, long from, IReadOnlyList<LedgerEntry> entries)
    {
        var answer = await AskAsync(options.Local, new ReplicateBatch(options.Ledger, options.Epoch, from, entries, 0), options.Timeout).ConfigureAwait(false);
        return answer switch
        {
            Replicated r => r.DurableEnd,
            Refused r => throw new LedgerFencedException(options.Ledger, options.Epoch, r.HighestEpoch),
            null => throw new LedgerQuorumException(options.Ledger, 1, 0, options.Timeout),
            _ => throw new InvalidOperationException($"The local copy of ledger '{options.Ledger}' answered a recovery copy with {answer}."),
        };
    }
}
