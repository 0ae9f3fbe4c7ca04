namespace WalActors.Recovery;

/// <summary>The limits recovery validates frames against, and what it does with damage.</summary>
/// <param name="MaxRecordSize">The largest payload a valid frame may declare; nothing larger is ever allocated.</param>
/// <param name="InFlightWindow">
/// The most bytes the log may have written beyond its durable end. A valid frame further than this past a bad one
/// proves the bad one was once durable, even in a log whose frames carry no durable end (format version 1).
/// </param>
/// <param name="Policy">Refuse damage (the default) or salvage the valid prefix.</param>
/// <param name="SalvageDirectory">Where salvage writes the valid records it finds past damage; null writes none (stores without a directory).</param>
/// <param name="ClosedAt">Where the log's last clean close ended it, as its manifest records (0 when unknown): a valid prefix ending before that is damage.</param>
/// <param name="LiveWriter">For a read-only look at a log another process writes: that writer's published status, or null.</param>
/// <param name="UseRecoveryPoint">
/// Whether a segmented log's recovery point, when it matches the log, lets the scan start there rather than at the head.
/// The log's own recovery uses it; tools that judge every frame (verify, salvage) do not.
/// </param>
internal sealed record RecoveryOptions(
    int MaxRecordSize,
    long InFlightWindow,
    RecoveryPolicy Policy = RecoveryPolicy.Strict,
    string? SalvageDirectory = null,
    long ClosedAt = 0,
    Storage.LiveStatus? LiveWriter = null,
    bool UseRecoveryPoint = false);
