namespace WalActors;

/// <summary>Where a named consumer of a log resumes, as its latest durable commit says.</summary>
/// <param name="Name">The consumer's name.</param>
/// <param name="Next">Where it resumes: the end of the last record it committed as processed (a <see cref="WalRecord.Next"/>).</param>
/// <param name="Lossy">Whether retention may drop records it has not processed (it then fails with <see cref="LogTruncatedException"/>
/// when it resumes); a consumer that is not lossy holds retention back at <paramref name="Next"/>.</param>
/// <param name="CommitLsn">The LSN of the commit frame that recorded this position.</param>
public sealed record ConsumerPosition(string Name, Lsn Next, bool Lossy, Lsn CommitLsn);
