namespace WalActors.Benchmarks.Experiments;

/// <summary>How the file an experiment appends into was made before the first append.</summary>
/// <param name="Name">Short name in the report.</param>
/// <param name="What">What it does, in a few words.</param>
/// <param name="Prepare">Makes the file at the path with the size given.</param>
internal sealed record FilePreparation(string Name, string What, Action<string, long> Prepare);
