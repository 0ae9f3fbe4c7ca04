namespace WalActors;

/// <summary>
/// The log already holds as many appends, or as many bytes, as it is configured to hold waiting
/// (<c>walactors.log.max-pending-appends</c> / <c>max-pending-bytes</c>). Nothing of the refused request was written;
/// send it again later, or use <see cref="IWalClient.AppendAsync"/>, which waits for room.
/// </summary>
public sealed class WalOverloadedException : WalException
{
    /// <summary>Creates the error, naming the bounds in force.</summary>
    public WalOverloadedException(long maxPendingAppends, long maxPendingBytes)
        : base($"The log is full: it holds walactors.log.max-pending-appends = {maxPendingAppends} appends or " +
            $"max-pending-bytes = {maxPendingBytes} bytes not yet answered. Nothing was written; retry later.")
    {
        MaxPendingAppends = maxPendingAppends;
        MaxPendingBytes = maxPendingBytes;
    }

    /// <summary>The configured bound on appends waiting.</summary>
    public long MaxPendingAppends { get; }

    /// <summary>The configured bound on bytes waiting.</summary>
    public long MaxPendingBytes { get; }
}
