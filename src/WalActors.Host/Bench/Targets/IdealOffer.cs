using WalActors.Host.Bench.OpenLoop;

namespace WalActors.Host.Bench.Targets;

/// <summary>
/// One append offered to the ideal loop by the rate pacer. Without inline continuations its completion is recorded on
/// the thread pool, the hop every real log API makes; with them, on the I/O thread.
/// </summary>
internal sealed class IdealOffer(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder, bool inline) : IIdealAppend, IThreadPoolWorkItem
{
    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public void Complete()
    {
        if (inline)
        {
            recorder.Completed(scheduled);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public void Fail(Exception error) => recorder.Failed(error);

    void IThreadPoolWorkItem.Execute() => recorder.Completed(scheduled);
}
