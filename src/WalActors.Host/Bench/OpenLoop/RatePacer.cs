using System.Diagnostics;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Bench.OpenLoop;

/// <summary>
/// Offers appends at a fixed rate from a thread of its own, whatever the system's answers: append <c>i</c> is due at
/// <c>start + i / rate</c>. The thread wakes every few tens of microseconds and sends every append that is due, so an
/// append is sent at most one wake-up late (the report gives the send lag); when <c>maxInFlight</c> appends are
/// unanswered it waits, and the appends it holds back count their wait as latency.
/// </summary>
internal sealed class RatePacer
{
    private readonly Thread _thread;

    private RatePacer(Thread thread) => _thread = thread;

    public static RatePacer Start(IOpenLoopTarget target, ReadOnlyMemory<byte> payload, double ratePerSecond, long maxInFlight, RateRecorder recorder)
    {
        var thread = new Thread(() => Run(target, payload, ratePerSecond, maxInFlight, recorder)) { IsBackground = true, Name = "bench-rate-pacer" };
        thread.Start();
        return new RatePacer(thread);
    }

    /// <summary>Waits for the pacer's thread to end, once the recorder is stopping.</summary>
    public void Join() => _thread.Join();

    private static void Run(IOpenLoopTarget target, ReadOnlyMemory<byte> payload, double ratePerSecond, long maxInFlight, RateRecorder recorder)
    {
        var ticksPerAppend = Stopwatch.Frequency / ratePerSecond;
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        try
        {
            while (!recorder.Stopping)
            {
                var due = (long)((Stopwatch.GetTimestamp() - start) / ticksPerAppend) + 1;
                while (sent < due && recorder.InFlight < maxInFlight && !recorder.Stopping)
                {
                    var scheduled = start + (long)(sent * ticksPerAppend);
                    recorder.Sending(scheduled);
                    target.Offer(payload, scheduled, recorder);
                    sent++;
                }

                ShortSleep.Pause();
            }
        }
        catch (Exception e)
        {
            // An Offer that throws instead of answering: count it as one failure and let the run report it.
            recorder.Failed(e);
        }
    }
}
