namespace WalActors.Host.Bench;

/// <summary>What one run of the benchmark measures, and for how long.</summary>
internal sealed record BenchSettings
{
    /// <summary>Closed-loop producer counts, one scenario each (crossed with <see cref="Payloads"/>).</summary>
    public IReadOnlyList<int> Producers { get; init; } = [1, 8, 64];

    /// <summary>Payload sizes in bytes.</summary>
    public IReadOnlyList<int> Payloads { get; init; } = [128, 4096];

    /// <summary>Load before measuring starts, so caches, the JIT and thread pools settle.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long each system is measured in each scenario.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The size of the log whose recovery is timed.</summary>
    public long RecoveryBytes { get; init; } = 1L << 30;

    /// <summary>How much the sequential-bandwidth probe writes.</summary>
    public long SequentialBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Where the benchmark's data goes (a fresh directory below it, deleted afterwards).</summary>
    public string TempRoot { get; init; } = Path.GetTempPath();

    /// <summary>Which systems to run (by name); empty means all.</summary>
    public IReadOnlyList<string> Systems { get; init; } = [];

    /// <summary>A short run for smoke tests: every scenario and system, a fraction of a second each, a small recovery log.</summary>
    public static BenchSettings Quick { get; } = new()
    {
        Warmup = TimeSpan.FromMilliseconds(100),
        Duration = TimeSpan.FromMilliseconds(200),
        RecoveryBytes = 16L * 1024 * 1024,
        SequentialBytes = 16L * 1024 * 1024,
    };
}
