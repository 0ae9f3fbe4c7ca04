using Akka.Actor;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Reading;

/// <summary>Any record's LSN is a place to read from, a batch's middle and last records included, and so is every <see cref="ReadResult.Next"/>.</summary>
public sealed class ReadInsideBatchTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public void A_read_may_start_at_a_middle_or_last_record_of_an_atomic_batch()
    {
        var log = StartLog(new InstrumentedStore());
        log.Tell(new AppendBatch([Payload(0), Payload(1), Payload(2)]));
        var lsns = ExpectMsg<BatchAppended>().Lsns;
        log.Tell(new Append(Payload(3)));
        var after = ExpectMsg<Appended>().Lsn;

        log.Tell(new Read(lsns[1], 10));
        var fromMiddle = ExpectMsg<ReadResult>();
        log.Tell(new Read(lsns[2], 10));
        var fromLast = ExpectMsg<ReadResult>();

        Assert.Equal([lsns[1], lsns[2], after], fromMiddle.Records.Select(r => r.Lsn));
        Assert.Equal([lsns[2], after], fromLast.Records.Select(r => r.Lsn));
    }

    [Fact]
    public void A_read_that_stops_inside_a_batch_continues_from_its_next_position()
    {
        var log = StartLog(new InstrumentedStore());
        log.Tell(new AppendBatch([Payload(0), Payload(1), Payload(2), Payload(3)]));
        var lsns = ExpectMsg<BatchAppended>().Lsns;

        log.Tell(new Read(Lsn.Zero, 2));
        var first = ExpectMsg<ReadResult>();
        log.Tell(new Read(first.Next, 10));
        var rest = ExpectMsg<ReadResult>();

        Assert.Equal(lsns.Take(2), first.Records.Select(r => r.Lsn));
        Assert.Equal(lsns.Skip(2), rest.Records.Select(r => r.Lsn));
    }

    [Fact]
    public void A_batch_whose_last_frame_is_not_durable_is_not_readable_from_its_middle_either()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store);
        log.Tell(new Append(Payload(0)));
        ExpectMsg<Appended>();
        store.HoldSyncs();
        log.Tell(new AppendBatch([Payload(1), Payload(2), Payload(3)], Durability.Written));
        var lsns = ExpectMsg<BatchAppended>().Lsns;

        log.Tell(new Read(lsns[1], 10));
        var reply = ReceiveOne(TimeSpan.FromSeconds(10));
        store.ReleaseSyncs();

        // Beyond the durable end: refused, never a part of the batch.
        Assert.True(reply is Status.Failure { Cause: WalException } || reply is ReadResult { Records.Count: 0 }, $"got {reply}");
    }
}
