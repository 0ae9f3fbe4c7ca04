namespace WalActors.Benchmarks.Experiments;

/// <summary>Everything one run of the experiments measured.</summary>
/// <param name="Machine">Cores, processor, OS, runtime and the file system.</param>
/// <param name="Kernel">The kernel release (io_uring's and the page cache's behaviour depend on it).</param>
/// <param name="LoadAtStart">/proc/loadavg when the run started (the machine is shared).</param>
/// <param name="LoadAtEnd">/proc/loadavg when it ended.</param>
/// <param name="IoUring">"available", or why io_uring could not be used.</param>
/// <param name="Settings">What was run.</param>
/// <param name="Results">One row per experiment per size.</param>
internal sealed record ExperimentReport(
    string Machine, string Kernel, string LoadAtStart, string LoadAtEnd, string IoUring, ExperimentSettings Settings, IReadOnlyList<ExperimentResult> Results);
