using WalActors.Host.Bench.Recovery;
using WalActors.Host.Bench.Targets;

namespace WalActors.Host.Bench;

/// <summary>One system the benchmark can run.</summary>
/// <param name="Name">Its name in the report.</param>
/// <param name="Role">What its figures are compared with.</param>
/// <param name="Create">Opens a fresh instance in the given directory, for one scenario.</param>
/// <param name="Recovery">How its recovery is timed, if it is; systems sharing one log share one instance.</param>
/// <param name="OpenLoop">Whether it runs the open-loop scenarios: thousands of producers, and appends offered at a rate (its target is an <c>IOpenLoopTarget</c>).</param>
/// <param name="Optional">Run only when named in <c>--systems</c>: a what-if, not part of the comparison by default.</param>
internal sealed record BenchSystem(string Name, BenchRole Role, Func<string, IBenchTarget> Create, IRecoveryBench? Recovery = null, bool OpenLoop = true, bool Optional = false);
