namespace WalActors.Format;

/// <summary>What one commit frame says: where a named consumer resumes, and how retention treats it.</summary>
/// <param name="Name">The consumer's name (at most <see cref="ConsumerCommitCodec.MaxNameBytes"/> UTF-8 bytes).</param>
/// <param name="Next">Where the consumer resumes: the end of the last record it has processed.</param>
/// <param name="Lossy">Whether retention may drop records the consumer has not processed.</param>
/// <param name="Removed">Whether the consumer was removed: it no longer holds retention back and resumes nowhere.</param>
internal readonly record struct ConsumerCommit(string Name, long Next, bool Lossy, bool Removed = false);
