using WalActors.Benchmarks.Experiments.Native;
using WalActors.Benchmarks.Experiments.Paths;

namespace WalActors.Benchmarks.Experiments;

/// <summary>One row of an experiment: a way to append, into a file prepared one way.</summary>
/// <param name="Group">Which experiment it belongs to: "write-path" or "preparation".</param>
/// <param name="Method">How each append is made durable.</param>
/// <param name="Preparation">How the file was made before the first append.</param>
/// <param name="Open">Opens the append path on the prepared file, for appends of at most the given size; null when the machine cannot run it.</param>
/// <param name="NeedsRing">Whether it needs io_uring.</param>
internal sealed record Experiment(string Group, string Method, FilePreparation Preparation, Func<string, int, IoUring?, IAppendPath> Open, bool NeedsRing = false);
