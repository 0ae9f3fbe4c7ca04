using WalActors.Host.Bench.Recovery;
using WalActors.Host.Bench.Targets;

namespace WalActors.Host.Bench;

/// <summary>
/// The systems one benchmark run can choose from, in the order the first scenario runs them. <c>walactors bench</c>
/// uses <see cref="Own"/>: the user's disk and WalActors. The peer comparison adds other logs with <see cref="With"/>,
/// so the tool never carries them.
/// </summary>
internal sealed class BenchCatalog
{
    private static readonly WalRecoveryBench WalActorsRecovery = new();

    private BenchCatalog(IReadOnlyList<BenchSystem> systems) => Systems = systems;

    /// <summary>
    /// The raw fdatasync loop, both ideal group-commit loops and WalActors through both APIs. The raw loop runs a thread
    /// per producer, so it sits out the open-loop scenarios (thousands of producers).
    /// </summary>
    public static BenchCatalog Own { get; } = new(
    [
        new BenchSystem(SystemNames.Fdatasync, BenchRole.Baseline, directory => new FdatasyncTarget(directory), OpenLoop: false),
        new BenchSystem(SystemNames.IdealInline, BenchRole.Baseline, directory => new IdealTarget(directory, inlineContinuations: true)),
        new BenchSystem(SystemNames.Ideal, BenchRole.Baseline, directory => new IdealTarget(directory, inlineContinuations: false)),
        new BenchSystem(SystemNames.WalActorsActor, BenchRole.WalActors, directory => new WalActorTarget(directory), WalActorsRecovery),
        new BenchSystem(SystemNames.WalActorsClient, BenchRole.WalActors, directory => new WalClientTarget(directory), WalActorsRecovery),
    ]);

    public IReadOnlyList<BenchSystem> Systems { get; }

    public IReadOnlyList<string> Names => Systems.Select(s => s.Name).ToArray();

    /// <summary>The names of the peers, the systems WalActors is compared with besides the baselines.</summary>
    public IReadOnlyList<string> Peers => Systems.Where(s => s.Role == BenchRole.Peer).Select(s => s.Name).ToArray();

    /// <summary>This catalogue with <paramref name="system"/> run last.</summary>
    public BenchCatalog With(BenchSystem system) =>
        Names.Contains(system.Name) ? throw new ArgumentException($"A system named '{system.Name}' is already in the benchmark.", nameof(system)) : new([.. Systems, system]);

    /// <summary>The systems named in <paramref name="names"/> (all but the optional ones when empty), in catalogue order.</summary>
    public IReadOnlyList<BenchSystem> Select(IReadOnlyCollection<string> names) =>
        names.Count == 0 ? Systems.Where(s => !s.Optional).ToArray() : Systems.Where(s => names.Contains(s.Name)).ToArray();

    /// <summary>Whether <paramref name="system"/> is a WalActors row.</summary>
    public bool IsWalActors(string system) => Systems.Any(s => s.Name == system && s.Role == BenchRole.WalActors);
}
