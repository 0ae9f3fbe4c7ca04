using Akka.Coordination;
using Grpc.Core;

namespace WalActors.Cluster;

/// <summary>
/// One call to etcd, bounded in time and with its failure typed the way Akka's lease contract asks: a call that may or
/// may not have taken effect (no answer in time, etcd unreachable) is <see cref="LeaseTimeoutException"/>; one that etcd
/// refused is <see cref="LeaseException"/>. Nothing else escapes, so a caller is never left waiting and never sees gRPC.
/// </summary>
internal static class EtcdCall
{
    /// <summary>
    /// Runs <paramref name="call"/> with a gRPC deadline and a cancellation after <paramref name="timeout"/>, and waits
    /// for it no longer than that even if the client ignored both (the client retries unavailable endpoints with backoff
    /// of its own, which only the deadline cuts short). <paramref name="stop"/> cancels it (then the caller's
    /// <see cref="OperationCanceledException"/> comes through as it is).
    /// </summary>
    public static async Task<T> Run<T>(
        string what, TimeSpan timeout, Func<DateTime, CancellationToken, Task<T>> call, CancellationToken stop = default)
    {
        if (timeout <= TimeSpan.Zero)
        {
            // A heartbeat whose TTL has run out has no time left to give a call.
            throw new LeaseTimeoutException($"No time was left for the {what}: the lease's TTL has run out");
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cancel.CancelAfter(timeout);
        try
        {
            return await call(DateTime.UtcNow + timeout, cancel.Token).WaitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw TimedOut(what, timeout, e);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable or StatusCode.Cancelled)
        {
            throw TimedOut(what, timeout, e);
        }
        catch (RpcException e)
        {
            throw new LeaseException($"etcd refused the {what}: {e.StatusCode} {e.Status.Detail}", e);
        }
    }

    private static LeaseTimeoutException TimedOut(string what, TimeSpan timeout, Exception cause) =>
        new($"etcd did not answer the {what} within lease-operation-timeout ({timeout}), so it may or may not have taken " +
            $"effect ({(cause is RpcException rpc ? rpc.StatusCode.ToString() : "no answer")})", cause);
}
