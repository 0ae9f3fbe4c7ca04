namespace WalActors.Recovery;

/// <summary>The limits recovery validates frames against, and what it does with damage.</summary>
/// <param name="MaxRecordSize">The largest payload a valid frame may declare; nothing larger is ever allocated.</param>
/// <param name="InFlightWindow">
/// The most bytes the log may have written beyond its durable end. A valid frame further than this past a
/// bad one proves the bad one was once durable, so it is damage rather than a torn tail.
/// </param>
/// <param name="Policy">Refuse damage (the default) or salvage the valid prefix.</param>
internal sealed record RecoveryOptions(int MaxRecordSize, long InFlightWindow, RecoveryPolicy Policy = RecoveryPolicy.Strict);
