using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace WalActors.Reading;

/// <summary>
/// A named consumer's tail for <see cref="IWalClient.TailAsync(string, WalConsumerOptions?, CancellationToken)"/>:
/// resumes where the consumer's latest commit says and, with auto-commit, commits the records the caller has moved past.
/// </summary>
/// <remarks>
/// A record counts as processed once the caller asks for the next one: a loop body that throws, or a process that dies
/// in it, has not finished with that record, so it is never committed for it (at-least-once). Leaving the loop commits
/// what was moved past and not the last record yielded, which then comes again on the next start.
/// </remarks>
internal static class ConsumerTail
{
    public static async IAsyncEnumerable<WalRecord> RunAsync(
        IWalClient client, ConsumerCommitter committer, string consumer, WalConsumerOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = await StartOfAsync(client, committer, consumer, options, cancellationToken).ConfigureAwait(false);
        var records = client.TailAsync(start, options.Level, cancellationToken).GetAsyncEnumerator(cancellationToken);
        WalRecord? current = null;
        WalRecord? processed = null;
        var uncommitted = 0;
        var lastCommit = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                var moving = records.MoveNextAsync().AsTask();
                if (current is not null)
                {
                    processed = current;
                    uncommitted++;
                }

                if (options.AutoCommit && processed is not null && uncommitted > 0)
                {
                    var due = options.CommitInterval - Stopwatch.GetElapsedTime(lastCommit);
                    if (uncommitted >= options.CommitEvery || due <= TimeSpan.Zero || !await ArrivesWithinAsync(moving, due, cancellationToken).ConfigureAwait(false))
                    {
                        await committer.CommitAsync(consumer, processed.Next.Value, options.Lossy, cancellationToken).ConfigureAwait(false);
                        uncommitted = 0;
                        lastCommit = Stopwatch.GetTimestamp();
                    }
                }

                if (!await moving.ConfigureAwait(false))
                {
                    break;
                }

                current = records.Current;
                yield return current;
            }
        }
        finally
        {
            await records.DisposeAsync().ConfigureAwait(false);
            if (options.AutoCommit && processed is not null && uncommitted > 0)
            {
                await CommitOnLeavingAsync(committer, consumer, processed.Next.Value, options.Lossy).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Where the consumer resumes: after its latest commit, or where the options say a new consumer starts.</summary>
    public static async Task<Lsn> StartOfAsync(IWalClient client, ConsumerCommitter committer, string consumer, WalConsumerOptions options, CancellationToken cancellationToken)
    {
        ConsumerCommitter.CheckName(consumer);
        await client.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (committer.Registry?.Find(consumer) is { } position)
        {
            return position.Next;
        }

        return options.StartAt ?? (await client.GetStatusAsync(cancellationToken).ConfigureAwait(false)).Head;
    }

    // Best effort: when the log is gone the commit is lost and those records come again, which at-least-once allows; an
    // error here would hide whatever ended the loop.
    private static async Task CommitOnLeavingAsync(ConsumerCommitter committer, string consumer, long next, bool lossy)
    {
        try
        {
            await committer.CommitAsync(consumer, next, lossy, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WalException)
        {
        }
    }

    // Waiting for the next record only until the commit is due: what was processed is committed even if nothing follows.
    private static async Task<bool> ArrivesWithinAsync(Task<bool> moving, TimeSpan due, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(due, timer.Token);
        var first = await Task.WhenAny(moving, delay).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        return first == moving;
    }
}
