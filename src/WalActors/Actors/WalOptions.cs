using Akka.Configuration;
using WalActors.Storage;

namespace WalActors;

/// <summary>The settings of one log, read from HOCON (<c>walactors.log</c>) or built in code; validated once, at start.</summary>
public sealed record WalOptions
{
    /// <summary>The HOCON path of the defaults in the library's reference.conf.</summary>
    public const string ConfigPath = "walactors.log";

    /// <summary>The directory that holds the log's segment files; created if missing.</summary>
    public string Directory { get; init; } = "wal-data";

    /// <summary>The size of each preallocated segment file; a new log only, an existing one keeps its own.</summary>
    public long SegmentSize { get; init; } = SegmentedStoreOptions.DefaultSegmentSize;

    /// <summary>The largest payload of one record, in bytes.</summary>
    public int MaxRecordSize { get; init; } = 1024 * 1024;

    /// <summary>The largest total size of one <see cref="AppendBatch"/>, in bytes, framing included.</summary>
    public long MaxBatchSize { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// How far writes may run ahead of the durable end. It bounds what a crash can tear, and so lets recovery tell a torn
    /// tail from damage; writers wait when it is full. At least twice the largest record and batch.
    /// </summary>
    public long MaxUnsyncedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How many writer actors issue positioned writes in parallel.</summary>
    public int Writers { get; init; } = 2;

    /// <summary>How many bytes of appends one writer puts into one positioned write.</summary>
    public int WriterBatchSize { get; init; } = 1024 * 1024;

    /// <summary>How barriers are scheduled.</summary>
    public SyncMode SyncMode { get; init; } = SyncMode.Group;

    /// <summary>The least time between the starts of two barriers; zero starts the next one as soon as the last returns.</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.Zero;

    /// <summary>What recovery does with damage inside data that could have been acknowledged.</summary>
    public RecoveryPolicy RecoveryPolicy { get; init; } = RecoveryPolicy.Strict;

    /// <summary>The dispatcher for blocking writes and barriers; never the default dispatcher.</summary>
    public string IoDispatcher { get; init; } = "walactors.io-dispatcher";

    /// <summary>Drop the oldest whole segments once the log holds more than this many bytes; 0 keeps everything.</summary>
    public long RetentionMaxBytes { get; init; }

    /// <summary>Drop whole segments last written longer ago than this; zero keeps everything.</summary>
    public TimeSpan RetentionMaxAge { get; init; } = TimeSpan.Zero;

    /// <summary>How often the retention limits are checked.</summary>
    public TimeSpan RetentionCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The dispatcher tailing readers read on; never the default dispatcher, never a writer's thread.</summary>
    public string ReadDispatcher { get; init; } = "walactors.read-dispatcher";

    /// <summary>How long a graceful shutdown waits for in-flight appends and the last barrier.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads the options from <paramref name="config"/> (a <c>walactors.log</c>-shaped section), falling back to the defaults.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range; the message names the key.</exception>
    public static WalOptions FromConfig(Config config)
    {
        var section = config.WithFallback(WalConfig.Defaults.GetConfig(ConfigPath));
        var options = new WalOptions
        {
            Directory = section.GetString("directory"),
            SegmentSize = Size(section, "segment-size"),
            MaxRecordSize = (int)Math.Min(int.MaxValue, Size(section, "max-record-size")),
            MaxBatchSize = Size(section, "max-batch-size"),
            MaxUnsyncedBytes = Size(section, "max-unsynced-bytes"),
            Writers = section.GetInt("writers"),
            WriterBatchSize = (int)Math.Min(int.MaxValue, Size(section, "writer-batch-size")),
            SyncMode = ParseSyncMode(section.GetString("sync-mode")),
            SyncInterval = section.GetTimeSpan("sync-interval"),
            RecoveryPolicy = ParseRecoveryPolicy(section.GetString("recovery-policy")),
            IoDispatcher = section.GetString("io-dispatcher"),
            ReadDispatcher = section.GetString("read-dispatcher"),
            RetentionMaxBytes = Size(section, "retention.max-bytes"),
            RetentionMaxAge = section.GetTimeSpan("retention.max-age"),
            RetentionCheckInterval = section.GetTimeSpan("retention.check-interval"),
            ShutdownTimeout = section.GetTimeSpan("shutdown-timeout"),
        };
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the HOCON key of the first value out of range.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Directory), "directory", "must name a directory");
        Require(SegmentSize >= SegmentedStoreOptions.MinimumSegmentSize && SegmentSize % SegmentedStoreOptions.MinimumSegmentSize == 0,
            "segment-size", $"must be a multiple of {SegmentedStoreOptions.MinimumSegmentSize} bytes");
        Require(MaxRecordSize is > 0 and <= 256 * 1024 * 1024, "max-record-size", "must be between 1 byte and 256 MiB");
        Require(MaxBatchSize >= Format.FrameCodec.FrameSize(MaxRecordSize), "max-batch-size", "must hold at least one record of max-record-size");
        Require(MaxUnsyncedBytes >= 2 * MaxBatchSize && MaxUnsyncedBytes >= 2L * WriterBatchSize, "max-unsynced-bytes",
            "must be at least twice max-batch-size and writer-batch-size");
        Require(Writers is >= 1 and <= 64, "writers", "must be between 1 and 64");
        Require(WriterBatchSize >= 4096, "writer-batch-size", "must be at least 4 KiB");
        Require(SyncInterval >= TimeSpan.Zero, "sync-interval", "must not be negative");
        Require(!string.IsNullOrWhiteSpace(IoDispatcher), "io-dispatcher", "must name a dispatcher");
        Require(ShutdownTimeout > TimeSpan.Zero, "shutdown-timeout", "must be positive");
        Require(RetentionMaxBytes == 0 || RetentionMaxBytes >= SegmentSize, "retention.max-bytes", "must be 0 (keep everything) or at least one segment");
        Require(RetentionMaxAge >= TimeSpan.Zero, "retention.max-age", "must not be negative");
        Require(RetentionCheckInterval > TimeSpan.Zero, "retention.check-interval", "must be positive");
        Require(!string.IsNullOrWhiteSpace(ReadDispatcher), "read-dispatcher", "must name a dispatcher");
    }

    internal Recovery.RecoveryOptions ToRecoveryOptions() => new(MaxRecordSize, MaxUnsyncedBytes, RecoveryPolicy);

    private static long Size(Config section, string key) =>
        section.GetByteSize(key) ?? throw new ArgumentException($"{ConfigPath}.{key} is missing or not a size.", key);

    private static SyncMode ParseSyncMode(string value) => value switch
    {
        "group" => SyncMode.Group,
        "per-append" => SyncMode.PerAppend,
        "none" => SyncMode.None,
        _ => throw new ArgumentException($"{ConfigPath}.sync-mode must be group, per-append or none; got '{value}'.", "sync-mode"),
    };

    private static RecoveryPolicy ParseRecoveryPolicy(string value) => value switch
    {
        "strict" => RecoveryPolicy.Strict,
        "salvage" => RecoveryPolicy.Salvage,
        _ => throw new ArgumentException($"{ConfigPath}.recovery-policy must be strict or salvage; got '{value}'.", "recovery-policy"),
    };

    private static void Require(bool condition, string key, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"{ConfigPath}.{key} {rule}.", key);
        }
    }
}
