using Akka.Actor;
using WalActors.Actors.Internal;

namespace WalActors.Actors.Internal;

/// <summary>
/// Appends to a local log from outside any actor (for <see cref="WalClient"/> and <see cref="WalFlow"/>): takes room in the
/// log's capacity first (waiting for it, or not), then sends the request with a completion the pipeline completes
/// directly, with no temporary actor per call.
/// </summary>
/// <remarks>
/// A request sent to a log that has just terminated goes to dead letters; checking termination after sending closes
/// that gap (a request that did reach the mailbox is answered when the mailbox is cleaned up), so no task is left pending.
/// </remarks>
internal sealed class LogAppender
{
    private readonly IActorRef _log;
    private readonly LogHandle? _handle;

    public LogAppender(IActorRef log)
    {
        _log = log;
        _handle = LogHandle.Of(log);
        if (_handle is null && !LogHandle.IsTerminated(log))
        {
            throw new ArgumentException($"{log} is not the actor of a WalActors log in this process (see WriteAheadLog.Start).", nameof(log));
        }
    }

    /// <summary>Whether the log's actor is gone (stopped abruptly, crashed and stopped, or its system terminated).</summary>
    public bool IsGone => _handle is null || LogHandle.IsTerminated(_log);

    /// <summary>Whether an append would be admitted now (a gone log has "room": its appends fail at once).</summary>
    public bool HasRoom => _handle?.Capacity.HasRoom ?? true;

    public bool TryAppend(ReadOnlyMemory<byte> payload, Durability durability, out Task<Lsn>? appended)
    {
        if (IsGone)
        {
            appended = Task.FromException<Lsn>(new WalStoppedException());
            return true;
        }

        if (!_handle!.Capacity.TryAcquire(Weigh(payload)))
        {
            appended = null;
            return false;
        }

        appended = Send(payload, durability);
        return true;
    }

    public Task<Lsn> AppendAsync(ReadOnlyMemory<byte> payload, Durability durability, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<Lsn>(cancellationToken);
        }

        if (IsGone)
        {
            return Task.FromException<Lsn>(new WalStoppedException());
        }

        return _handle!.Capacity.TryAcquire(Weigh(payload)) ? Send(payload, durability) : AppendWhenRoomAsync(payload, durability, cancellationToken);
    }

    /// <summary>Appends <paramref name="payloads"/> atomically; with <paramref name="commit"/>, the last payload is its encoding, framed as a commit frame.</summary>
    public Task<IReadOnlyList<Lsn>> AppendBatchAsync(
        IReadOnlyList<ReadOnlyMemory<byte>> payloads, Durability durability, CancellationToken cancellationToken, Format.ConsumerCommit? commit = null)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<Lsn>>(cancellationToken);
        }

        if (IsGone)
        {
            return Task.FromException<IReadOnlyList<Lsn>>(new WalStoppedException());
        }

        var request = new AppendBatch(payloads, durability) { Commit = commit };
        return _handle!.Capacity.TryAcquire(LogCapacity.Weigh(request)) ? Send(request) : AppendBatchWhenRoomAsync(request, durability, cancellationToken);
    }

    private static long Weigh(ReadOnlyMemory<byte> payload) => Format.FrameCodec.FrameSize(payload.Length);

    private async Task<Lsn> AppendWhenRoomAsync(ReadOnlyMemory<byte> payload, Durability durability, CancellationToken cancellationToken)
    {
        await WaitForRoomAsync(Weigh(payload), cancellationToken).ConfigureAwait(false);
        return await Send(payload, durability).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Lsn>> AppendBatchWhenRoomAsync(AppendBatch request, Durability durability, CancellationToken cancellationToken)
    {
        await WaitForRoomAsync(LogCapacity.Weigh(request), cancellationToken).ConfigureAwait(false);
        return await Send(request).ConfigureAwait(false);
    }

    /// <summary>Returns once room for <paramref name="bytes"/> has been taken; throws when cancelled or when the log is gone.</summary>
    private async Task WaitForRoomAsync(long bytes, CancellationToken cancellationToken)
    {
        var capacity = _handle!.Capacity;
        while (true)
        {
            await capacity.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
            if (IsGone || capacity.IsClosed)
            {
                throw new WalStoppedException();
            }

            if (capacity.TryAcquire(bytes))
            {
                return;
            }
        }
    }

    private Task<Lsn> Send(ReadOnlyMemory<byte> payload, Durability durability)
    {
        var completion = new TaskCompletionSource<Lsn>(TaskCreationOptions.RunContinuationsAsynchronously);
        _log.Tell(new Append(payload, durability) { Completion = completion }, ActorRefs.NoSender);
        if (LogHandle.IsTerminated(_log))
        {
            completion.TrySetException(new WalStoppedException());
        }

        return completion.Task;
    }

    private Task<IReadOnlyList<Lsn>> Send(AppendBatch request)
    {
        var completion = new TaskCompletionSource<IReadOnlyList<Lsn>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _log.Tell(request with { Completion = completion }, ActorRefs.NoSender);
        if (LogHandle.IsTerminated(_log))
        {
            completion.TrySetException(new WalStoppedException());
        }

        return completion.Task;
    }
}
