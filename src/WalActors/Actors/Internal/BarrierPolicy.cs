using System.Diagnostics;

namespace WalActors.Actors.Internal;

/// <summary>
/// When the durability actor issues a barrier, how far it covers, and whether it may linger: the sync-mode, sync-interval
/// and window rules, apart from the actor that keeps the appends.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>One barrier in flight at a time; the next starts as soon as one returns if anything waits for it.</item>
/// <item>A barrier also starts when unsynced bytes reach half the in-flight window, so writers never stall on it.</item>
/// <item><c>sync-interval</c> spaces barrier starts on a monotonic clock (a wall clock stepped back would postpone every
/// barrier by the step); an explicit sync and a filling window do not wait for it.</item>
/// <item>Per-append mode covers only up to the first durable append still waiting; group mode covers everything written.</item>
/// <item>Group mode lingers only when the last barrier answered more than one append: those producers are about to come
/// back with about as many bytes, and a barrier that waits a little for them saves them a whole barrier more. Not when
/// the last barrier covered <see cref="LingerBytesLimit"/> or more: a batch that large already costs the disk more than
/// the wait would save, and lingering on it halved the barriers of 64 producers of 4 KiB records.</item>
/// </list>
/// Used by one actor: not thread-safe.
/// </remarks>
internal sealed class BarrierPolicy
{
    /// <summary>A barrier lingers only after one that covered fewer bytes than this.</summary>
    internal const long LingerBytesLimit = 64 * 1024;

    private readonly SyncMode _mode;
    private readonly TimeSpan _interval;
    private readonly long _maxUnsyncedBytes;
    private readonly TimeProvider _clock;
    private long? _lastStart; // a monotonic timestamp; none before the first barrier
    private long _lastAcknowledged;
    private long _lastBytes;

    public BarrierPolicy(SyncMode mode, TimeSpan interval, long maxUnsyncedBytes, TimeProvider clock)
    {
        _mode = mode;
        _interval = interval;
        _maxUnsyncedBytes = maxUnsyncedBytes;
        _clock = clock;
    }

    /// <summary>Decides the next step.</summary>
    /// <param name="inFlight">A barrier has been issued and has not returned.</param>
    /// <param name="faulted">The log has faulted: no barrier is ever issued again.</param>
    /// <param name="appendsWaiting">Durable appends are written and wait for a barrier.</param>
    /// <param name="syncWaiters">Explicit syncs (and a drain) waiting for the next barrier.</param>
    /// <param name="writtenEnd">The contiguous written prefix.</param>
    /// <param name="durableEnd">What the last barrier made durable.</param>
    public BarrierDecision Next(bool inFlight, bool faulted, bool appendsWaiting, int syncWaiters, long writtenEnd, long durableEnd)
    {
        Debug.Assert(durableEnd <= writtenEnd, "the durable end passed the written end");
        if (inFlight || faulted)
        {
            return default;
        }

        var windowFilling = writtenEnd - durableEnd >= _maxUnsyncedBytes / 2;
        if (!appendsWaiting && syncWaiters == 0 && !windowFilling)
        {
            return default;
        }

        if (_interval > TimeSpan.Zero && syncWaiters == 0 && !windowFilling && _lastStart is { } last)
        {
            var since = _clock.GetElapsedTime(last);
            if (since < _interval)
            {
                return new BarrierDecision(BarrierStep.WaitForInterval, Delay: _interval - since);
            }
        }

        if (_mode == SyncMode.PerAppend && appendsWaiting && syncWaiters == 0 && !windowFilling)
        {
            return new BarrierDecision(BarrierStep.StartAtFirstUnansweredDurable);
        }

        if (writtenEnd <= durableEnd && !appendsWaiting && syncWaiters > 0)
        {
            return new BarrierDecision(BarrierStep.AnswerWaiters);
        }

        var linger = _mode == SyncMode.Group && _lastAcknowledged > 1 && _lastBytes < LingerBytesLimit && !windowFilling;
        return new BarrierDecision(BarrierStep.Start, writtenEnd, linger ? writtenEnd + _lastBytes : 0);
    }

    /// <summary>A barrier was issued now.</summary>
    public void Started() => _lastStart = _clock.GetTimestamp();

    /// <summary>A barrier returned having covered up to <paramref name="target"/>, from <paramref name="durableEndBefore"/>, and answered <paramref name="acknowledged"/> appends.</summary>
    public void Completed(long target, long durableEndBefore, long acknowledged)
    {
        _lastBytes = Math.Max(0, target - durableEndBefore);
        _lastAcknowledged = acknowledged;
    }
}
