using FASTER.core;

namespace WalActors.Benchmarks;

/// <summary>
/// FasterLog configured for its best durable throughput, shared by the append and the recovery benchmarks.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>On Linux, <c>Devices.CreateLogDevice</c> gives a managed device whose files are opened write-through: strace shows
/// <c>O_SYNC</c> on the log and commit files (FASTER also asks for unbuffered I/O, which .NET on Linux does not map to
/// O_DIRECT), so every page flush is itself durable and a commit is durable when its flush returns.</item>
/// <item>Fast-commit mode: a commit is a record inside the log, not a separate metadata file per commit; the metadata file is
/// rewritten only every <see cref="MetadataEvery"/> commits and recovery scans forward from it to the last commit record.</item>
/// <item>Per-entry checksums, so that a scan after a crash validates what it reads, as WalActors' frames do.</item>
/// <item>4 MiB pages, a 64 MiB in-memory ring, 1 GiB segment files; nothing is mutable in memory, so every enqueue can
/// be flushed by the next commit.</item>
/// </list>
/// </remarks>
internal static class FasterLogSetup
{
    public const int MetadataEvery = 1000;

    public static (FasterLog Log, IDevice Device) Open(string directory, bool recover)
    {
        Directory.CreateDirectory(directory);
        var device = Devices.CreateLogDevice(Path.Combine(directory, "log"), preallocateFile: false, deleteOnClose: false);
        var settings = new FasterLogSettings
        {
            LogDevice = device,
            PageSizeBits = 22,
            MemorySizeBits = 26,
            SegmentSizeBits = 30,
            LogChecksum = LogChecksumType.PerEntry,
            FastCommitMode = true,
            AutoCommit = false,
            AutoRefreshSafeTailAddress = false,
            MutableFraction = 0,
            TryRecoverLatest = recover,
            LogCommitManager = new DeviceLogCommitCheckpointManager(
                new LocalStorageNamedDeviceFactory(),
                new DefaultCheckpointNamingScheme(directory),
                removeOutdated: true,
                fastCommitThrottleFreq: MetadataEvery),
        };
        return (new FasterLog(settings), device);
    }
}
