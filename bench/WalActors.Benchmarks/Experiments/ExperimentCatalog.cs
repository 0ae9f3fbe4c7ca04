using WalActors.Benchmarks.Experiments.Paths;

namespace WalActors.Benchmarks.Experiments;

/// <summary>The rows of both experiments.</summary>
internal static class ExperimentCatalog
{
    public const string WritePath = "write-path";
    public const string Preparation = "preparation";

    private const string Fdatasync = "pwrite + fdatasync";

    /// <summary>
    /// The write path: each method on the file it is best with (buffered methods on a cached, written file; direct
    /// ones on a written file, which they do not need cached), so what differs is the method alone.
    /// </summary>
    public static IReadOnlyList<Experiment> WritePaths { get; } =
    [
        new(WritePath, Fdatasync, FilePreparations.BufferedZeroed, (path, _, _) => new BufferedPath(path)),
        new(WritePath, "pwrite + sync_file_range(WRITE) + fdatasync", FilePreparations.BufferedZeroed, (path, _, _) => new BufferedPath(path, startWriteback: true)),
        new(WritePath, "pwrite on O_DSYNC", FilePreparations.BufferedZeroed, (path, _, _) => new BufferedPath(path, dataSyncOpen: true)),
        new(WritePath, "O_DIRECT|O_DSYNC whole pages", FilePreparations.DirectZeroed, (path, max, _) => new WholePagePath(path, max, direct: true, dataSyncOpen: true)),
        new(WritePath, "O_DIRECT whole pages + fdatasync", FilePreparations.DirectZeroed, (path, max, _) => new WholePagePath(path, max, direct: true, dataSyncOpen: false)),
        new(WritePath, "io_uring write->fdatasync linked", FilePreparations.BufferedZeroed, (path, max, ring) => new UringPath(ring!, path, max, direct: false), NeedsRing: true),
        new(WritePath, "io_uring O_DIRECT whole pages->fdatasync", FilePreparations.DirectZeroed, (path, max, ring) => new UringPath(ring!, path, max, direct: true), NeedsRing: true),
    ];

    /// <summary>The read-on-write effect: the same buffered append + fdatasync into files made ready in different ways, and whole-page writes into today's uncached file.</summary>
    public static IReadOnlyList<Experiment> Preparations { get; } =
    [
        new(Preparation, Fdatasync, FilePreparations.DirectZeroed, (path, _, _) => new BufferedPath(path)),
        new(Preparation, Fdatasync, FilePreparations.BufferedZeroed, (path, _, _) => new BufferedPath(path)),
        new(Preparation, Fdatasync, FilePreparations.Fallocated, (path, _, _) => new BufferedPath(path)),
        new(Preparation, Fdatasync, FilePreparations.WillNeed, (path, _, _) => new BufferedPath(path)),
        new(Preparation, Fdatasync, FilePreparations.WillNeedChunks, (path, _, _) => new BufferedPath(path)),
        new(Preparation, Fdatasync, FilePreparations.ReadBack, (path, _, _) => new BufferedPath(path)),
        new(Preparation, Fdatasync, FilePreparations.RecycledCached, (path, _, _) => new BufferedPath(path)),
        new(Preparation, Fdatasync, FilePreparations.RecycledEvicted, (path, _, _) => new BufferedPath(path)),
        new(Preparation, Fdatasync, FilePreparations.Growing, (path, _, _) => new BufferedPath(path)),
        new(Preparation, "whole pages (tail page in memory) + fdatasync", FilePreparations.DirectZeroed, (path, max, _) => new WholePagePath(path, max, direct: false, dataSyncOpen: false)),
        new(Preparation, "whole pages (tail page in memory) + fdatasync", FilePreparations.RecycledEvicted, (path, max, _) => new WholePagePath(path, max, direct: false, dataSyncOpen: false)),
    ];
}
