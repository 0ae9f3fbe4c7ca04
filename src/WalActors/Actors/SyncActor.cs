using System.Diagnostics;
using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>Issues the durability barriers the durability actor schedules, one at a time, on the I/O dispatcher.</summary>
/// <remarks>
/// <para>A barrier covers what the durability actor had written when it asked. A lingering barrier may cover more: just
/// before the barrier the sync actor reads the written prefix again (<see cref="WalMetrics.WrittenEnd"/>, which the
/// durability actor advances only after those writes returned), so the target is still a prefix written before the
/// barrier was issued, and the durability invariant holds.</para>
/// <para>Why linger: under load, producers answered by one barrier come straight back, but their appends need a few hops
/// to be written. A barrier started at once covers only the stragglers of the last wave, and the returning wave waits
/// for the whole next barrier: the producers split into groups that take turns. Waiting until the returning wave is
/// written (the prefix reaches the requested point), or the prefix stops moving, or a hard cap, lets one barrier carry
/// both. The cap and the quiet period are short against a barrier (~100 µs here) and long against a hop.</para>
/// </remarks>
internal sealed class SyncActor : ReceiveActor
{
    private static readonly long QuietTicks = Stopwatch.Frequency * 20 / 1_000_000;
    private static readonly long MaxLingerTicks = Stopwatch.Frequency * 60 / 1_000_000;

    public SyncActor(IWalStore store, WalMetrics metrics)
    {
        var segmented = store as SegmentedStore;
        Receive<BarrierRequest>(request =>
        {
            try
            {
                var target = request.LingerUntil > request.Target ? Math.Max(request.Target, Linger(metrics, request.LingerUntil)) : request.Target;
                store.Sync();
                Sender.Tell(new BarrierCompleted(target));

                // The pages below it are clean now: the store drops the old ones, on a thread other than this one.
                segmented?.ReleaseCacheBelow(target);
            }
            catch (Exception e)
            {
                Sender.Tell(new BarrierFailed(request.Target, e as WalException ?? new WalIOException("flushing to stable storage", null, e)));
            }
        });
        Receive<SealRequest>(request =>
        {
            try
            {
                var marker = new byte[FrameCodec.MarkerSize];
                FrameCodec.Encode(marker, request.End, FrameKind.Marker, [], durableEnd: request.End);
                store.WriteAt(request.End, marker);
                store.Sync();
                if (store is SegmentedStore segmented)
                {
                    // Outlives the marker itself: damage to the marker, or to the segment holding it, is then still damage.
                    segmented.SetProperty(Recovery.LogOpener.ClosedAtProperty, request.End + marker.Length);

                    // Gone before the stop is answered: a tool run right after must not take this process for a writer.
                    SegmentFile.TryDelete(Path.Combine(segmented.Directory, LiveStatus.FileName));
                }

                Sender.Tell(new Sealed(request.End + marker.Length));
            }
            catch (Exception e)
            {
                Sender.Tell(new BarrierFailed(request.End, e as WalException ?? new WalIOException("writing the close marker", null, e)));
            }
        });
    }

    public static Props Props(IWalStore store, WalMetrics metrics, string dispatcher) =>
        Akka.Actor.Props.Create(() => new SyncActor(store, metrics)).WithDispatcher(dispatcher);

    /// <summary>
    /// Waits until the written prefix reaches <paramref name="until"/>, or stops advancing for <see cref="QuietTicks"/>, or
    /// <see cref="MaxLingerTicks"/> pass; returns the last prefix seen.
    /// </summary>
    private static long Linger(WalMetrics metrics, long until)
    {
        var start = Stopwatch.GetTimestamp();
        var seen = metrics.WrittenEnd;
        var lastChange = start;
        while (true)
        {
            // Yield rather than spin: on a small machine the threads this waits for need the core.
            Thread.Yield();
            var now = Stopwatch.GetTimestamp();
            var written = metrics.WrittenEnd;
            if (written >= until)
            {
                return written;
            }

            if (written != seen)
            {
                seen = written;
                lastChange = now;
            }

            // The cap holds even while the prefix keeps moving: a steady stream must not postpone the barrier for ever.
            if (now - lastChange >= QuietTicks || now - start >= MaxLingerTicks)
            {
                return seen;
            }
        }
    }
}
