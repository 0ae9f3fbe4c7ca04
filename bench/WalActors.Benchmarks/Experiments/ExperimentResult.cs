using WalActors.Host.Bench.Measurement;

namespace WalActors.Benchmarks.Experiments;

/// <summary>What one experiment row measured: the appends, and what preparing its file cost.</summary>
/// <param name="Group">"write-path" or "preparation".</param>
/// <param name="Method">How each append was made durable.</param>
/// <param name="Preparation">How the file was made.</param>
/// <param name="Size">Bytes per append.</param>
/// <param name="Appends">Appends made in the window (it ends early if the file is full).</param>
/// <param name="Seconds">The window.</param>
/// <param name="P50Microseconds">Median time of one append (write and barrier).</param>
/// <param name="P99Microseconds">99th percentile.</param>
/// <param name="P999Microseconds">99.9th percentile.</param>
/// <param name="CpuSeconds">Process CPU in the window.</param>
/// <param name="Storage">Process storage traffic in the window.</param>
/// <param name="PrepareSeconds">Wall time to prepare the file.</param>
/// <param name="PrepareCpuSeconds">Process CPU to prepare it.</param>
/// <param name="PrepareStorage">Process storage traffic while preparing it.</param>
/// <param name="Skipped">Why the row did not run, if it did not.</param>
internal sealed record ExperimentResult(
    string Group,
    string Method,
    string Preparation,
    int Size,
    long Appends,
    double Seconds,
    double P50Microseconds,
    double P99Microseconds,
    double P999Microseconds,
    double CpuSeconds,
    StorageTraffic Storage,
    double PrepareSeconds,
    double PrepareCpuSeconds,
    StorageTraffic PrepareStorage,
    string? Skipped = null)
{
    public double AppendsPerSecond => Appends / Seconds;

    public double MegabytesPerSecond => AppendsPerSecond * Size / 1e6;

    public double CpuMicrosecondsPerAppend => Appends == 0 ? double.NaN : CpuSeconds * 1e6 / Appends;

    /// <summary>Bytes read from storage per MB appended.</summary>
    public double ReadBytesPerMegabyte => Storage.ReadPerMegabyte((double)Appends * Size);

    public static ExperimentResult Skip(Experiment experiment, int size, string why) => new(
        experiment.Group, experiment.Method, experiment.Preparation.Name, size, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
        default, double.NaN, double.NaN, default, why);
}
