using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace WalActors.Actors.Internal;

/// <summary>
/// The facade's mailbox queue. It does two things a plain queue cannot:
/// <list type="bullet">
/// <item>Admission: an <see cref="Append"/> or <see cref="AppendBatch"/> sent by an actor is counted against the log's
/// capacity as it is enqueued, on the sender's thread; when the log is full it is answered there and then with
/// <see cref="AppendFailed"/> (<see cref="WalOverloadedException"/>) and never enters the queue. So the mailbox, like
/// everything behind it, holds at most the configured bound, however fast producers send. Requests from
/// <see cref="WalClient"/> carry a completion and were admitted by the client before it sent them.</item>
/// <item>Answers at the end: when the actor terminates, Akka hands the queue's remaining messages to dead letters.
/// Here every request still queued (or arriving after) is answered with the log's stop reason instead, and a store
/// that recovery handed over but the facade never adopted is closed, so its lock is released.</item>
/// </list>
/// </summary>
/// <remarks>
/// Deque semantics (the facade stashes while it recovers): <see cref="EnqueueFirst"/> is called only on the actor's own
/// thread, by the stash, so its stack needs no lock; every other producer only touches the concurrent queue.
/// </remarks>
internal sealed class LogMessageQueue : IMessageQueue, IUnboundedDequeBasedMessageQueueSemantics
{
    private readonly ConcurrentQueue<Envelope> _queue = new();
    private readonly Stack<Envelope> _prepended = new();
    private readonly LogHandle? _handle;
    private IActorRef? _owner;
    private IMessageQueue? _deadLetters;
    private int _closed;

    public LogMessageQueue(LogHandle? handle) => _handle = handle;

    public bool HasMessages => Count > 0;

    public int Count => _queue.Count + _prepended.Count;

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        if (_handle is { } handle && !Admit(handle, receiver, envelope))
        {
            return;
        }

        _queue.Enqueue(envelope);

        // Enqueue is a full fence, and so is the store of _closed in CleanUp: either this thread sees the queue closed and
        // answers what it finds, or CleanUp's drain finds this envelope. Never neither.
        if (Volatile.Read(ref _closed) != 0)
        {
            DrainClosed();
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (_prepended.Count > 0)
        {
            envelope = _prepended.Pop();
            return true;
        }

        return _queue.TryDequeue(out envelope);
    }

    public void EnqueueFirst(Envelope envelope) => _prepended.Push(envelope);

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        _owner = owner;
        _deadLetters = deadletters;
        Interlocked.Exchange(ref _closed, 1);
        _handle?.Capacity.Close();
        while (_prepended.TryPop(out var envelope))
        {
            Answer(envelope);
        }

        DrainClosed();
    }

    private static bool Admit(LogHandle handle, IActorRef receiver, Envelope envelope)
    {
        var message = envelope.Message;
        if (message is not (Append { Completion: null } or AppendBatch { Completion: null }))
        {
            return true;
        }

        var capacity = handle.Capacity;
        if (capacity.TryAcquire(LogCapacity.Weigh(message)))
        {
            return true;
        }

        handle.Metrics.AddFailed(1);
        if (!envelope.Sender.IsNobody())
        {
            AppendReplies.Fail(message, envelope.Sender, capacity.Overloaded(), receiver);
        }

        return false;
    }

    private void DrainClosed()
    {
        while (_queue.TryDequeue(out var envelope))
        {
            Answer(envelope);
        }
    }

    private void Answer(Envelope envelope)
    {
        var owner = _owner!;
        var reason = _handle?.StopReason ?? new WalStoppedException();
        if (!StoppedReplies.TryAnswer(envelope.Message, envelope.Sender, reason, owner))
        {
            _deadLetters!.Enqueue(owner, envelope);
        }
    }
}
