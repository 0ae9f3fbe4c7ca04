using WalActors.Persistence;

namespace WalActors;

/// <summary>How a <see cref="WalProjection"/> commits its offset, and which read journal it reads.</summary>
public sealed record WalProjectionOptions
{
    private readonly int _commitEvery = 1000;
    private readonly TimeSpan _commitInterval = TimeSpan.FromMilliseconds(200);
    private readonly int _sliceCount = 64;

    /// <summary>When the offset is stored relative to the handler (<see cref="ProjectionMode.AtLeastOnce"/> by default).</summary>
    public ProjectionMode Mode { get; init; } = ProjectionMode.AtLeastOnce;

    /// <summary>Commit at the latest after this many events (1000 by default; at least 1): at most one commit frame per this many events under load.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int CommitEvery
    {
        get => _commitEvery;
        init => _commitEvery = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(CommitEvery), value, "A projection commits after at least one event.");
    }

    /// <summary>Commit at the latest this long after the first uncommitted event (200 ms by default; positive).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan CommitInterval
    {
        get => _commitInterval;
        init => _commitInterval = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(CommitInterval), value, "A commit interval must be positive.");
    }

    /// <summary>
    /// This instance's share of the projection's slices, or null (the default) for one instance handling every event. Not
    /// with <see cref="ProjectionQuery.ByPersistenceId"/> (one id is one slice).
    /// </summary>
    public ProjectionPartition? Partition { get; init; }

    /// <summary>
    /// How many slices persistence ids are hashed into (64 by default; 1 to 1024), each with its own offset. Fixed for the
    /// life of a projection: it decides which offset an id's events belong to. Used only with <see cref="Partition"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [1, 1024].</exception>
    public int SliceCount
    {
        get => _sliceCount;
        init => _sliceCount = value is >= 1 and <= 1024 ? value : throw new ArgumentOutOfRangeException(nameof(SliceCount), value, "A projection has 1 to 1024 slices.");
    }

    /// <summary>The HOCON path of the WalActors read journal to query (its write-plugin's log holds the offsets).</summary>
    public string QueryPluginId { get; init; } = WalReadJournal.Identifier;
}
