namespace WalActors.Benchmarks.Experiments;

/// <summary>What one run of the experiments measures.</summary>
internal sealed record ExperimentSettings
{
    /// <summary>Append sizes for the write-path experiment: WalActors' frames for 128 B and 4 KiB payloads, and a group-commit batch of 32 such 4 KiB frames.</summary>
    public IReadOnlyList<int> WritePathSizes { get; init; } = [144, 4112, 131_584];

    /// <summary>Append sizes for the preparation experiment: the frames of 128 B and 4 KiB payloads (neither a multiple of the page).</summary>
    public IReadOnlyList<int> PreparationSizes { get; init; } = [144, 4112];

    /// <summary>How long each row appends (less if its file fills first).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The prepared file's size; appends stop at its end, so it never wraps onto pages already touched.</summary>
    public long FileSize { get; init; } = 256L * 1024 * 1024;

    /// <summary>Which experiments to run: write-path, preparation, or both (empty).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public string TempRoot { get; init; } = Path.GetTempPath();

    public static ExperimentSettings Quick { get; } = new()
    {
        Duration = TimeSpan.FromMilliseconds(200),
        FileSize = 16L * 1024 * 1024,
    };
}
