namespace WalActors.Host.Bench;

/// <summary>What one run of the benchmark measures, and for how long.</summary>
internal sealed record BenchSettings
{
    /// <summary>Closed-loop producer counts, one scenario each (crossed with <see cref="Payloads"/>).</summary>
    public IReadOnlyList<int> Producers { get; init; } = [1, 8, 64];

    /// <summary>Payload sizes in bytes.</summary>
    public IReadOnlyList<int> Payloads { get; init; } = [128, 4096];

    /// <summary>Open loop: producer counts that each keep one append in flight (the journal with thousands of entities); empty skips them.</summary>
    public IReadOnlyList<int> OpenProducers { get; init; } = [1_000, 10_000];

    /// <summary>Open loop: appends per second the pacer offers, one row each, so latency shows against throughput up to saturation; empty skips them.</summary>
    public IReadOnlyList<int> Rates { get; init; } = [25_000, 50_000, 100_000, 200_000, 400_000, 800_000];

    /// <summary>Open loop: payload bytes per append.</summary>
    public int OpenPayload { get; init; } = 128;

    /// <summary>
    /// Open loop: the most appends the rate pacer lets wait unanswered. Half of WalActors' default max-pending-appends
    /// (100,000): the log releases an append's place a moment after its answer reaches the sender, so a pacer holding
    /// exactly the bound got 18,048 of 15 million appends refused as overloaded at 800k/s through the actor API.
    /// </summary>
    public long MaxInFlight { get; init; } = 50_000;

    /// <summary>How long the raw barrier rate (the open-loop bound's barriers/s) is measured.</summary>
    public TimeSpan BarrierProbe { get; init; } = TimeSpan.FromSeconds(1);

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

    /// <summary>A short run for smoke tests: every closed-loop scenario and system, one open-loop row of each mode, a fraction of a second each, a small recovery log.</summary>
    public static BenchSettings Quick { get; } = new()
    {
        Warmup = TimeSpan.FromMilliseconds(100),
        Duration = TimeSpan.FromMilliseconds(200),
        RecoveryBytes = 16L * 1024 * 1024,
        SequentialBytes = 16L * 1024 * 1024,
        OpenProducers = [1_000],
        Rates = [10_000],
        BarrierProbe = TimeSpan.FromMilliseconds(100),
    };
}
