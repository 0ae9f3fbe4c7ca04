namespace WalActors.Benchmarks;

/// <summary>The names the benchmark reports its systems under (also the JSON's "system" values).</summary>
public static class SystemNames
{
    /// <summary>One positioned write and one fdatasync per append.</summary>
    public const string Fdatasync = "fdatasync";

    /// <summary>
    /// The single-thread group-commit loop: the physical limit for a log whose callers' continuations run off its I/O
    /// thread, as every real log API's must.
    /// </summary>
    public const string Ideal = "ideal";

    /// <summary>The same loop running its producers' continuations inline on its I/O thread: the absolute ceiling.</summary>
    public const string IdealInline = "ideal-inline";

    /// <summary>WalActors through Append / Appended messages from producer actors.</summary>
    public const string WalActorsActor = "walactors-actor";

    /// <summary>WalActors through IWalClient.AppendAsync.</summary>
    public const string WalActorsClient = "walactors-client";

    /// <summary>FasterLog, the peer.</summary>
    public const string FasterLog = "fasterlog";

    /// <summary>Every system, in the order the first scenario runs them.</summary>
    public static IReadOnlyList<string> All { get; } = [Fdatasync, IdealInline, Ideal, WalActorsActor, WalActorsClient, FasterLog];
}
