namespace WalActors;

/// <summary>
/// Drops the whole leading segments that end at or before <paramref name="Lsn"/> (never anything not yet durable, nor
/// anything after the committed position of a registered consumer that is not lossy: see <see cref="WalConsumerOptions"/>).
/// The reply is <see cref="TruncatedBefore"/> with the new head, or a <see cref="Akka.Actor.Status.Failure"/> with the
/// typed error. LSNs of the records kept do not change.
/// </summary>
/// <param name="Lsn">Everything before this position may be dropped.</param>
public sealed record TruncateBefore(Lsn Lsn);
