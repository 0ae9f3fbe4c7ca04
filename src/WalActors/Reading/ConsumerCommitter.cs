using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Format;

namespace WalActors.Reading;

/// <summary>
/// Writes a consumer's commits to its log: a commit frame, alone or ending an atomic batch of the consumer's own output,
/// acknowledged once durable. The log's registry has taken the commit when the returned task completes.
/// </summary>
internal sealed class ConsumerCommitter
{
    private readonly LogAppender _appender;

    /// <exception cref="ArgumentException"><paramref name="log"/> is a live actor that is not a WalActors log of this process.</exception>
    public ConsumerCommitter(IActorRef log)
    {
        _appender = new LogAppender(log);
        Registry = LogHandle.Of(log)?.Consumers;
    }

    /// <summary>The log's registry; null when the log's actor is gone.</summary>
    public ConsumerRegistry? Registry { get; }

    /// <summary>Checks a consumer name.</summary>
    /// <exception cref="ArgumentException">The name is empty or longer than <see cref="ConsumerCommitCodec.MaxNameBytes"/> UTF-8 bytes.</exception>
    public static void CheckName(string consumer)
    {
        if (ConsumerCommitCodec.Problem(consumer) is { } problem)
        {
            throw new ArgumentException(problem, nameof(consumer));
        }
    }

    /// <summary>Records that <paramref name="consumer"/> resumes at <paramref name="next"/>; completes once that is durable.</summary>
    public async Task<ConsumerPosition> CommitAsync(string consumer, long next, bool lossy, CancellationToken cancellationToken)
    {
        var lsns = await CommitWithAsync(new ConsumerCommit(consumer, next, lossy), [], cancellationToken).ConfigureAwait(false);
        return new ConsumerPosition(consumer, new Lsn(next), lossy, lsns[^1]);
    }

    /// <summary>
    /// Appends <paramref name="outputs"/> and the commit as one atomic batch; completes with every LSN (the commit frame's
    /// last) once durable. After a crash either all of it is in the log or none.
    /// </summary>
    public Task<IReadOnlyList<Lsn>> CommitWithAsync(ConsumerCommit commit, IReadOnlyList<ReadOnlyMemory<byte>> outputs, CancellationToken cancellationToken)
    {
        var payloads = new ReadOnlyMemory<byte>[outputs.Count + 1];
        for (var i = 0; i < outputs.Count; i++)
        {
            payloads[i] = outputs[i];
        }

        payloads[^1] = ConsumerCommitCodec.Encode(commit);
        return _appender.AppendBatchAsync(payloads, Durability.Durable, cancellationToken, commit);
    }
}
