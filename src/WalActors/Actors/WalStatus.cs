namespace WalActors;

/// <summary>A snapshot of a log's state, positions and counters.</summary>
/// <param name="State">Where the log is in its life.</param>
/// <param name="Head">The first LSN the log still holds.</param>
/// <param name="WrittenEnd">One past the last byte of the contiguous written prefix.</param>
/// <param name="DurableEnd">One past the last byte known to be on stable storage.</param>
/// <param name="Counters">What the log has done since it started.</param>
/// <param name="Recovery">The report of the recovery that opened the log, once it has run.</param>
/// <param name="Fault">Why the log is faulted, when it is.</param>
public sealed record WalStatus(
    WalState State,
    Lsn Head,
    Lsn WrittenEnd,
    Lsn DurableEnd,
    WalCounters Counters,
    RecoveryReport? Recovery,
    WalException? Fault);
