using Akka.Actor;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

/// <summary>
/// A store that writes only part of a frame and reports success breaks the store contract, and the log cannot see it:
/// it acknowledges. (The real stores cannot do this: RandomAccess.Write repeats a short write for the remainder and
/// throws on failure, which the other fault tests cover.) What remains is that recovery must never serve the torn
/// frame, and must refuse the log loudly where it can prove acknowledged data was lost.
/// </summary>
public sealed class ShortWriteTests(ITestOutputHelper output) : WalTestKit(output)
{
    private const int PayloadSize = 200;

    // The smallest in-flight window these record sizes allow, so that a little data reaches past it.
    private static readonly WalOptions Options = SmallLog() with
    {
        MaxRecordSize = 1024,
        MaxBatchSize = 4096,
        WriterBatchSize = 4096,
        MaxUnsyncedBytes = 8192,
        Writers = 1,
    };

    [Fact]
    public void A_silently_short_write_followed_by_more_than_the_window_of_durable_data_is_refused_as_damage_at_its_lsn()
    {
        var store = new InstrumentedStore { ShortWriteNumber = 3 };
        var acked = AppendOneByOne(StartLog(store, Options), 60);
        Assert.Equal(acked[2], store.FaultedWriteOffset);
        var image = store.DurableImage;

        var error = Assert.Throws<LogDamagedException>(() => LogRecovery.Recover(new MemStore(image), Options.ToRecoveryOptions(), "image"));
        Assert.Equal(acked[2], error.Lsn);

        var salvaged = new MemStore(image);
        var report = LogRecovery.Recover(salvaged, Options.ToRecoveryOptions() with { Policy = RecoveryPolicy.Salvage }, "image");
        Assert.Equal(acked[2], report.SalvagedDamageAt);
        Assert.Equal(acked.Take(2), TestLog.ReadAll(salvaged).Select(r => r.Lsn));
    }

    [Fact]
    public void A_silently_short_write_near_the_end_is_refused_as_damage_once_a_later_frame_proves_it_was_durable()
    {
        var store = new InstrumentedStore { ShortWriteNumber = 3 };
        var acked = AppendOneByOne(StartLog(store, Options), 6);

        // Well inside the window: by the window alone this looks like writers finishing out of order. But the fourth
        // append was framed after the third was acknowledged, and its frame says so.
        var error = Assert.Throws<LogDamagedException>(() => LogRecovery.Recover(new MemStore(store.DurableImage), Options.ToRecoveryOptions(), "image"));
        Assert.Equal(acked[2], error.Lsn);
    }

    [Fact]
    public void A_silently_short_last_write_that_nothing_later_vouches_for_is_cut_off_as_a_torn_tail_and_the_report_says_where()
    {
        var store = new InstrumentedStore { ShortWriteNumber = 6 };
        var acked = AppendOneByOne(StartLog(store, Options), 6);

        var image = new MemStore(store.DurableImage);
        var report = LogRecovery.Recover(image, Options.ToRecoveryOptions(), "image");

        // Nothing written after it proves a barrier covered it, so it cannot be told from a write torn by a crash.
        Assert.Equal(acked[5], report.TruncatedAt);
        Assert.Equal(acked.Take(5), TestLog.ReadAll(image).Select(r => r.Lsn));
    }

    /// <summary>Appends one record at a time, each acknowledged before the next is sent, so each is one write; returns their LSNs.</summary>
    private List<long> AppendOneByOne(IActorRef log, int count)
    {
        var lsns = new List<long>();
        for (var i = 0; i < count; i++)
        {
            log.Tell(new Append(TestLog.Payload(i, PayloadSize)));
            lsns.Add(ExpectMsg<Appended>().Lsn.Value);
        }

        return lsns;
    }
}
