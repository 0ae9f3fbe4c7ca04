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

    /// <summary>How many reader actors serve <see cref="Read"/> requests in parallel (each on a thread of its own).</summary>
    public int Readers { get; init; } = 2;

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

    /// <summary>
    /// How many of the segments retention drops are kept, renamed into the next positions, instead of deleted, so that
    /// appending in steady state neither creates nor zero-fills a segment file; 0 deletes them all. Each one kept holds a
    /// segment's worth of disk space ahead of the writes.
    /// </summary>
    public int RecycleSegments { get; init; } = 2;

    /// <summary>
    /// The nice value, 0 (normal) to 19 (lowest), of the thread compaction passes run on (a thread of their own): a pass
    /// then gets what CPU the appends leave. Linux; elsewhere any value above 0 means the lowest thread priority.
    /// </summary>
    public int CompactionThreadNice { get; init; } = 19;

    /// <summary>How often the retention limits are checked.</summary>
    public TimeSpan RetentionCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The dispatcher tailing readers read on; never the default dispatcher, never a writer's thread.</summary>
    public string ReadDispatcher { get; init; } = "walactors.read-dispatcher";

    /// <summary>How long a graceful shutdown waits for in-flight appends and the last barrier.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most appends (an <see cref="AppendBatch"/> counts as one) the log holds accepted and not yet answered: in its
    /// mailbox, held while it recovers, queued for a writer, being written, or waiting for a barrier. Beyond it the actor
    /// API answers <see cref="AppendFailed"/> with <see cref="WalOverloadedException"/> at once, and
    /// <see cref="IWalClient.AppendAsync"/> waits for room.
    /// </summary>
    public int MaxPendingAppends { get; init; } = 100_000;

    /// <summary>
    /// The most framed bytes the log holds accepted and not yet answered (see <see cref="MaxPendingAppends"/>). An append
    /// is admitted while the bytes held are below this bound, so they exceed it by at most one request.
    /// </summary>
    public long MaxPendingBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>The clock that spaces barriers (<see cref="SyncInterval"/>); only its monotonic timestamp is used.</summary>
    internal TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// How often the recovery point actor looks at the durable end (not a setting: the crash tests shorten it, so that
    /// a life of a few milliseconds stores recovery points too).
    /// </summary>
    internal TimeSpan RecoveryPointInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The largest segment-size and max-unsynced-bytes accepted, 1 GiB: distances inside the in-flight window then fit in 32 bits with room to spare.</summary>
    internal const long MaxSizeLimit = 1024L * 1024 * 1024;

    /// <summary>Reads the options from <paramref name="config"/> (a <c>walactors.log</c>-shaped section), falling back to the defaults.</summary>
    /// <exception cref="ArgumentException">A value is missing, unparsable or out of range; the message names the key.</exception>
    public static WalOptions FromConfig(Config config)
    {
        var section = config.WithFallback(WalConfig.Defaults.GetConfig(ConfigPath));
        var options = new WalOptions
        {
            Directory = Read(section, "directory", key => section.GetString(key)),
            SegmentSize = Size(section, "segment-size"),
            MaxRecordSize = (int)Math.Min(int.MaxValue, Size(section, "max-record-size")),
            MaxBatchSize = Size(section, "max-batch-size"),
            MaxUnsyncedBytes = Size(section, "max-unsynced-bytes"),
            Writers = Read(section, "writers", key => section.GetInt(key)),
            Readers = Read(section, "readers", key => section.GetInt(key)),
            WriterBatchSize = (int)Math.Min(int.MaxValue, Size(section, "writer-batch-size")),
            SyncMode = ParseSyncMode(Read(section, "sync-mode", key => section.GetString(key))),
            SyncInterval = Duration(section, "sync-interval"),
            RecoveryPolicy = ParseRecoveryPolicy(Read(section, "recovery-policy", key => section.GetString(key))),
            IoDispatcher = Read(section, "io-dispatcher", key => section.GetString(key)),
            ReadDispatcher = Read(section, "read-dispatcher", key => section.GetString(key)),
            RetentionMaxBytes = Size(section, "retention.max-bytes"),
            RetentionMaxAge = Duration(section, "retention.max-age"),
            RetentionCheckInterval = Duration(section, "retention.check-interval"),
            RecycleSegments = Read(section, "retention.recycle-segments", key => section.GetInt(key)),
            CompactionThreadNice = Read(section, "compaction-thread-nice", key => section.GetInt(key)),
            ShutdownTimeout = Duration(section, "shutdown-timeout"),
            MaxPendingAppends = (int)Math.Min(int.MaxValue, Read(section, "max-pending-appends", key => section.GetLong(key))),
            MaxPendingBytes = Size(section, "max-pending-bytes"),
        };
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the HOCON key of the first value out of range.</summary>
    internal void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Directory), "directory", "must name a directory");
        Require(SegmentSize >= SegmentedStoreOptions.MinimumSegmentSize && SegmentSize <= MaxSizeLimit
            && SegmentSize % SegmentedStoreOptions.MinimumSegmentSize == 0,
            "segment-size", $"must be a multiple of {SegmentedStoreOptions.MinimumSegmentSize} bytes, at most 1 GiB; got {SegmentSize}");
        Require(MaxRecordSize is > 0 and <= 256 * 1024 * 1024, "max-record-size", $"must be between 1 byte and 256 MiB; got {MaxRecordSize}");
        Require(MaxBatchSize >= Format.FrameCodec.FrameSize(MaxRecordSize), "max-batch-size", "must hold at least one record of max-record-size");
        Require(MaxUnsyncedBytes <= MaxSizeLimit, "max-unsynced-bytes", $"must be at most 1 GiB; got {MaxUnsyncedBytes}");
        Require(MaxUnsyncedBytes >= 2 * MaxBatchSize && MaxUnsyncedBytes >= 2L * WriterBatchSize, "max-unsynced-bytes",
            "must be at least twice max-batch-size and writer-batch-size");
        Require(Writers is >= 1 and <= 64, "writers", $"must be between 1 and 64; got {Writers}");
        Require(Readers is >= 1 and <= 64, "readers", $"must be between 1 and 64; got {Readers}");
        Require(WriterBatchSize >= 4096, "writer-batch-size", $"must be at least 4 KiB; got {WriterBatchSize}");
        Require(SyncMode is SyncMode.Group or SyncMode.PerAppend or SyncMode.None, "sync-mode", $"must be group, per-append or none; got {SyncMode}");
        Require(SyncInterval >= TimeSpan.Zero && SyncInterval <= TimeSpan.FromDays(1), "sync-interval", "must be between 0 and a day");
        Require(RecoveryPolicy is RecoveryPolicy.Strict or RecoveryPolicy.Salvage, "recovery-policy", $"must be strict or salvage; got {RecoveryPolicy}");
        Require(!string.IsNullOrWhiteSpace(IoDispatcher), "io-dispatcher", "must name a dispatcher");
        Require(ShutdownTimeout > TimeSpan.Zero && ShutdownTimeout <= TimeSpan.FromDays(1), "shutdown-timeout", "must be positive and at most a day");
        Require(RetentionMaxBytes == 0 || (RetentionMaxBytes >= SegmentSize && RetentionMaxBytes <= MaxRetentionBytes),
            "retention.max-bytes", "must be 0 (keep everything) or between one segment and 1 PiB");
        Require(RecycleSegments is >= 0 and <= SegmentedStoreOptions.MaxRecycleSegments, "retention.recycle-segments",
            $"must be between 0 and {SegmentedStoreOptions.MaxRecycleSegments}; got {RecycleSegments}");
        Require(RetentionMaxAge >= TimeSpan.Zero, "retention.max-age", "must not be negative");
        Require(CompactionThreadNice is >= 0 and <= 19, "compaction-thread-nice", $"must be between 0 and 19; got {CompactionThreadNice}");
        Require(RetentionCheckInterval > TimeSpan.Zero && RetentionCheckInterval <= TimeSpan.FromDays(1), "retention.check-interval",
            "must be positive and at most a day");
        Require(!string.IsNullOrWhiteSpace(ReadDispatcher), "read-dispatcher", "must name a dispatcher");
        Require(MaxPendingAppends is >= 1 and <= 100_000_000, "max-pending-appends", $"must be between 1 and 100,000,000; got {MaxPendingAppends}");
        Require(MaxPendingBytes >= MaxBatchSize && MaxPendingBytes <= 16 * MaxSizeLimit, "max-pending-bytes",
            $"must be at least max-batch-size and at most 16 GiB; got {MaxPendingBytes}");
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the key when a dispatcher the log would run on is not configured in <paramref name="system"/>.</summary>
    internal void ValidateDispatchers(Akka.Actor.ActorSystem system)
    {
        // An unknown dispatcher only fails when the actor is created, on another thread: the log would never report ready.
        Require(system.Dispatchers.HasDispatcher(IoDispatcher), "io-dispatcher", $"names no configured dispatcher: '{IoDispatcher}'");
        Require(system.Dispatchers.HasDispatcher(ReadDispatcher), "read-dispatcher", $"names no configured dispatcher: '{ReadDispatcher}'");
    }

    internal Recovery.RecoveryOptions ToRecoveryOptions() => new(MaxRecordSize, MaxUnsyncedBytes, RecoveryPolicy);

    private const long MaxRetentionBytes = 1L << 50;

    private static long Size(Config section, string key) =>
        Read(section, key, k => section.GetByteSize(k)) ?? throw new ArgumentException($"{ConfigPath}.{key} is missing or not a size.", key);

    private static TimeSpan Duration(Config section, string key) => Read(section, key, k => section.GetTimeSpan(k));

    /// <summary>Reads one value, turning HOCON's bare parse errors into an error that names the key and the text it could not read.</summary>
    private static T Read<T>(Config section, string key, Func<string, T> read)
    {
        try
        {
            return read(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException or Akka.Configuration.ConfigurationException)
        {
            var text = SafeText(section, key);
            throw new ArgumentException($"{ConfigPath}.{key} cannot be read: '{text}' ({e.Message})", key, e);
        }
    }

    private static string SafeText(Config section, string key)
    {
        try
        {
            return section.GetString(key) ?? "";
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or Akka.Configuration.ConfigurationException)
        {
            return "?";
        }
    }

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
