namespace WalActors;

/// <summary>How a named consumer of a log starts, commits and is treated by retention.</summary>
/// <remarks>
/// A consumer is registered by its first commit. From then on retention never drops a record it has not committed,
/// unless it is <see cref="Lossy"/>. Commits are records of the log itself (commit frames, skipped by every reader), so
/// a commit is as durable as the log, and the latest one per consumer is found by the log's recovery scan at no extra cost.
/// </remarks>
public sealed record WalConsumerOptions
{
    private readonly int _commitEvery = 1000;
    private readonly TimeSpan _commitInterval = TimeSpan.FromSeconds(1);

    /// <summary>Where a consumer that never committed starts; null (the default) for the log's head.</summary>
    public Lsn? StartAt { get; init; }

    /// <summary>
    /// Whether retention may drop records this consumer has not processed (false by default: it holds retention back).
    /// A lossy consumer whose position was dropped fails with <see cref="LogTruncatedException"/> when it resumes.
    /// Recorded with every commit.
    /// </summary>
    public bool Lossy { get; init; }

    /// <summary>
    /// Whether <see cref="IWalClient.TailAsync(string, WalConsumerOptions?, CancellationToken)"/> commits on its own (true
    /// by default), every <see cref="CommitEvery"/> records or <see cref="CommitInterval"/>. A stream commits where it puts
    /// <see cref="WalFlow.Commit"/> or <see cref="WalSink.Commit"/>, which use the same two settings; the source ignores this one.
    /// </summary>
    public bool AutoCommit { get; init; } = true;

    /// <summary>Commit after this many processed records (1000 by default; at least 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int CommitEvery
    {
        get => _commitEvery;
        init => _commitEvery = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(CommitEvery), value, "A consumer commits after at least one record.");
    }

    /// <summary>Commit what was processed once this long has passed since the last commit (1 s by default; positive).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan CommitInterval
    {
        get => _commitInterval;
        init => _commitInterval = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(CommitInterval), value, "A commit interval must be positive.");
    }

    /// <summary>Follow the durable end (the default) or the written end.</summary>
    public Durability Level { get; init; } = Durability.Durable;
}
