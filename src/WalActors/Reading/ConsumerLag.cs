namespace WalActors;

/// <summary>How far a named consumer is behind its log, as <see cref="WalDirectory.Consumers"/> reads it from disk.</summary>
/// <param name="Consumer">The consumer's latest commit.</param>
/// <param name="End">The end the lag is measured to: the end of the last record (no further than the durable end a live writer reports).</param>
/// <param name="Bytes">The bytes of the log from where the consumer resumes to <paramref name="End"/> (zero when it has processed every record).</param>
/// <param name="Records">The records from where the consumer resumes to <paramref name="End"/>.</param>
public sealed record ConsumerLag(ConsumerPosition Consumer, Lsn End, long Bytes, long Records);
