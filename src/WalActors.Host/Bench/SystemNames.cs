namespace WalActors.Host.Bench;

/// <summary>The names the benchmark reports the systems it always runs under (also the JSON's "system" values).</summary>
internal static class SystemNames
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
}
