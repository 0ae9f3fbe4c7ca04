namespace WalActors.Host.Bench.OpenLoop;

/// <summary>
/// A system the open-loop scenarios can drive: it takes appends from a pacer that never waits for the previous one,
/// and can hold thousands of producers each with one append in flight.
/// </summary>
internal interface IOpenLoopTarget
{
    /// <summary>
    /// Starts one durable append of <paramref name="payload"/> and returns without waiting for it; calls
    /// <see cref="RateRecorder.Completed"/> with <paramref name="scheduled"/> once it is durable, or <see cref="RateRecorder.Failed"/>.
    /// </summary>
    void Offer(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder);
}
