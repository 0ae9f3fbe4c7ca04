namespace WalActors.Persistence;

/// <summary>An encoded atomic write waiting to go to the log, and the call it belongs to.</summary>
/// <param name="Write">The encoded write.</param>
/// <param name="Call">The call to tell when it is acknowledged.</param>
/// <param name="FramedBytes">Its size in the log, framing included.</param>
internal sealed record QueuedWrite(PreparedWrite Write, PendingCall Call, long FramedBytes);
