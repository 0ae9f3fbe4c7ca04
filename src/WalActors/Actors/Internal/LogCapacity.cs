using WalActors.Format;

namespace WalActors.Actors.Internal;

/// <summary>
/// Counts the appends (and their framed bytes) one log holds accepted and not yet answered, admits new ones only while
/// both stay under their bounds, and wakes clients waiting for room. Shared by the log's mailbox (admission of actor
/// appends), <see cref="WalClient"/> (admission of its own), and the facade and durability actor (release on answer).
/// </summary>
/// <remarks>
/// Admission is exact under concurrency: each caller increments first and keeps the slot only if the value it saw
/// before its own increment was under the bound, so no interleaving of producers admits more than the bound.
/// Release never blocks and costs a volatile read when no one waits.
/// </remarks>
internal sealed class LogCapacity
{
    private readonly long _maxAppends;
    private readonly long _maxBytes;
    private long _appends;
    private long _bytes;
    private int _closed;
    private TaskCompletionSource? _room;
    private WalOverloadedException? _overloaded;

    public LogCapacity(long maxAppends, long maxBytes)
    {
        _maxAppends = maxAppends;
        _maxBytes = maxBytes;
    }

    public long MaxAppends => _maxAppends;

    public long MaxBytes => _maxBytes;

    /// <summary>Appends held now (accepted, not yet answered).</summary>
    public long Appends => Volatile.Read(ref _appends);

    /// <summary>Framed bytes held now.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The framed size of a request, the unit of <c>max-pending-bytes</c>; 0 for what is not an append.</summary>
    public static long Weigh(object request)
    {
        switch (request)
        {
            case Append append:
                return FrameCodec.FrameSize(append.Payload.Length);
            case AppendBatch { Payloads: { } payloads }:
                long bytes = 0;
                for (var i = 0; i < payloads.Count; i++)
                {
                    bytes += FrameCodec.FrameSize(payloads[i].Length);
                }

                return bytes;
            default:
                return 0;
        }
    }

    /// <summary>Takes room for one request of <paramref name="bytes"/>; false, taking nothing, when the log is full.</summary>
    public bool TryAcquire(long bytes)
    {
        var appends = Interlocked.Increment(ref _appends);
        var total = Interlocked.Add(ref _bytes, bytes);
        if (appends <= _maxAppends && total - bytes < _maxBytes)
        {
            return true;
        }

        Release(1, bytes);
        return false;
    }

    /// <summary>Gives back the room of <paramref name="appends"/> answered requests of <paramref name="bytes"/> in all.</summary>
    public void Release(long appends, long bytes)
    {
        if (appends == 0)
        {
            return;
        }

        Interlocked.Add(ref _appends, -appends);
        Interlocked.Add(ref _bytes, -bytes);

        // The decrements above are full fences, so a waiter that installed its signal before them is seen here, and one
        // that installs it after sees the room when it checks again (see WaitForRoomAsync).
        if (Volatile.Read(ref _room) is not null && HasRoom)
        {
            Interlocked.Exchange(ref _room, null)?.TrySetResult();
        }
    }

    /// <summary>Whether a request would be admitted now (it may not be by the time it is tried).</summary>
    public bool HasRoom => Volatile.Read(ref _appends) < _maxAppends && Volatile.Read(ref _bytes) < _maxBytes;

    /// <summary>
    /// Completes when there may be room (or the log has stopped: check <see cref="IsClosed"/>); cancelled by
    /// <paramref name="cancellationToken"/>.
    /// </summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        if (HasRoom || IsClosed)
        {
            return Task.CompletedTask;
        }

        var room = Volatile.Read(ref _room);
        if (room is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            room = Interlocked.CompareExchange(ref _room, created, null) ?? created;
        }

        // Check again after installing the signal: a release that ran before it could not see it.
        if (HasRoom || IsClosed)
        {
            Interlocked.CompareExchange(ref _room, null, room);
            room.TrySetResult();
            return Task.CompletedTask;
        }

        return room.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The log has stopped: nothing will be admitted again, and every waiter wakes.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _closed, 1);
        Interlocked.Exchange(ref _room, null)?.TrySetResult();
    }

    /// <summary>
    /// The reason an overloaded append is refused with. One instance, shared by every refusal of this log: under a flood
    /// there are millions, and each reply must cost the producer next to nothing. It is carried in replies, never thrown here.
    /// </summary>
    public WalOverloadedException Overloaded() => _overloaded ??= new WalOverloadedException(_maxAppends, _maxBytes);
}
