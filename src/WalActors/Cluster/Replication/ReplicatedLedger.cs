using Akka.Actor;

namespace WalActors.Cluster.Replication;

/// <summary>
/// A ledger written by this node at one epoch, replicated to R−1 followers: <see cref="OpenAsync"/> recovers it from a
/// quorum (fencing every older writer), then <see cref="AppendAsync"/> acknowledges entries once W copies, this
/// node's included, hold them durably. Entries are numbered 0, 1, 2, … in the ledger, the same on every copy.
/// </summary>
internal sealed class ReplicatedLedger
{
    private readonly IActorRef _writer;
    private readonly ReplicatedLedgerOptions _options;

    private ReplicatedLedger(IActorRef writer, ReplicatedLedgerOptions options, long recoveredEnd)
    {
        _writer = writer;
        _options = options;
        RecoveredEnd = recoveredEnd;
    }

    /// <summary>The ledger's end when this owner opened it: every entry acknowledged by an earlier owner lies below it.</summary>
    public long RecoveredEnd { get; }

    /// <summary>
    /// Recovers the ledger at <see cref="ReplicatedLedgerOptions.Epoch"/> (fences R − W + 1 copies, takes the one ahead,
    /// copies what this node's copy lacks), seals it (W copies hold the recovered end) and opens it for writes.
    /// </summary>
    /// <exception cref="LedgerFencedException">A copy has seen a higher epoch.</exception>
    /// <exception cref="LedgerQuorumException">Too few copies answered the fence, or held the recovered end, within the timeout.</exception>
    public static async Task<ReplicatedLedger> OpenAsync(ActorSystem system, ReplicatedLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var recovered = await LedgerRecovery.RunAsync(options).ConfigureAwait(false);
        var sealedAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = system.ActorOf(LedgerWriter.Props(options, recovered, sealedAt));
        try
        {
            await sealedAt.Task.ConfigureAwait(false);
        }
        catch
        {
            writer.Tell(PoisonPill.Instance);
            throw;
        }

        return new ReplicatedLedger(writer, options, recovered.End);
    }

    /// <summary>
    /// Appends <paramref name="payloads"/> as consecutive entries (copied before this returns); completes with the first
    /// one's position once W copies hold them all durably, and with everything before them.
    /// </summary>
    /// <exception cref="LedgerFencedException">A newer owner fenced the ledger: nothing more is acknowledged at this epoch.</exception>
    /// <exception cref="LedgerQuorumException">W copies did not hold the entries within the timeout (they may still be on fewer).</exception>
    public Task<long> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _writer.Tell(new LedgerAppend([.. payloads.Select(p => p.ToArray())], completion));

        // The writer answers within the timeout; this bound only covers a writer that is gone (its mailbox lost the append).
        return completion.Task.WaitAsync(_options.Timeout * 2).ContinueWith(
            t => t.Exception?.InnerException is TimeoutException
                ? throw new LedgerQuorumException(_options.Ledger, _options.WriteQuorum, 0, _options.Timeout)
                : t,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
    }

    /// <summary>The quorum end: every entry below it is durable on W copies.</summary>
    /// <exception cref="LedgerQuorumException">The writer did not answer within the timeout.</exception>
    public Task<long> QuorumEndAsync() => AskOneAsync<long>(_writer, GetQuorumEnd.Instance);

    /// <summary>Up to <paramref name="maxEntries"/> entries from <paramref name="from"/>, read from this node's copy, never past the quorum end.</summary>
    /// <exception cref="LedgerQuorumException">The writer or this node's copy did not answer within the timeout.</exception>
    public async Task<IReadOnlyList<LedgerEntry>> ReadAsync(long from, int maxEntries)
    {
        var end = await QuorumEndAsync().ConfigureAwait(false);
        var read = await AskOneAsync<RangeRead>(_options.Local, new ReadRange(_options.Ledger, from, (int)Math.Clamp(end - from, 0, maxEntries))).ConfigureAwait(false);
        return read.Entries;
    }

    private async Task<T> AskOneAsync<T>(IActorRef to, object request)
    {
        try
        {
            return await to.Ask<T>(request, _options.Timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            throw new LedgerQuorumException(_options.Ledger, 1, 0, _options.Timeout);
        }
    }

    /// <summary>Stops the writer; appends not yet acknowledged fail with <see cref="WalStoppedException"/>.</summary>
    public Task StopAsync() => _writer.GracefulStop(_options.Timeout);
}
