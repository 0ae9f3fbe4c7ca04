using Akka.Actor;
using WalActors.Format;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class DurabilityInvariantTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public void A_later_write_that_finishes_first_is_not_acknowledged_before_the_earlier_one_is_written_and_synced()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { Writers = 2 });
        store.HoldWrites(offset => offset == 0);

        log.Tell(new Append(Payload(1), Durability.Durable, "first"));
        Assert.True(store.WriteHeld.Wait(TimeSpan.FromSeconds(10)), "the first write never started");
        log.Tell(new Append(Payload(2), Durability.Written, "second-written"));
        log.Tell(new Append(Payload(3), Durability.Durable, "third"));
        Assert.True(store.WriteDone.Wait(TimeSpan.FromSeconds(10)), "the second writer never wrote");

        // Neither may be acknowledged while the write before them is missing, written or durable.
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        log.Tell(GetStatus.Instance);
        var status = ExpectMsg<WalStatus>();
        Assert.Equal(0, status.WrittenEnd.Value);
        Assert.Equal(0, status.DurableEnd.Value);

        store.ReleaseWrites();
        var replies = ReceiveN(3).Cast<Appended>().ToDictionary(a => (string)a.CorrelationId!);
        DurabilityOracle.AssertDurable(store.DurableImage, replies["first"].Lsn.Value, Payload(1));
        DurabilityOracle.AssertDurable(store.DurableImage, replies["third"].Lsn.Value, Payload(3));
        Assert.True(replies["first"].Lsn < replies["second-written"].Lsn);
    }

    [Fact]
    public void Sixty_four_producers_each_get_every_append_acknowledged_once_in_lsn_order_and_the_log_holds_exactly_those()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store, SmallLog() with { Writers = 3 });
        const int producers = 64;
        const int perProducer = 40;

        var reports = Enumerable.Range(0, producers)
            .Select(p => Sys.ActorOf(Props.Create(() => new Producer(log, p, perProducer, 4, store, TestActor))))
            .ToList();
        var results = ReceiveN(producers, TimeSpan.FromSeconds(60)).Cast<Producer.Report>().ToList();

        var acknowledged = results.SelectMany(r => r.Acks).ToList();
        Assert.Equal(producers * perProducer, acknowledged.Count);
        Assert.Equal(acknowledged.Count, acknowledged.Select(a => a.Lsn).Distinct().Count());
        Assert.All(results, r => Assert.Equal(r.Acks.OrderBy(a => a.Index).Select(a => a.Lsn), r.Acks.Select(a => a.Lsn).Order()));
        Assert.All(results, r => Assert.Empty(r.Violations));

        var inLog = TestLog.ReadAll(new MemStore(store.WrittenImage));
        Assert.Equal(
            acknowledged.OrderBy(a => a.Lsn).Select(a => (a.Lsn, Convert.ToHexString(a.Payload))),
            inLog.Select(r => (r.Lsn, Convert.ToHexString(r.Payload))));

        log.Tell(GetStatus.Instance);
        var status = ExpectMsg<WalStatus>();
        Assert.Equal(producers * perProducer, status.Counters.Appends);
        Assert.True(status.Counters.Barriers < status.Counters.Appends, "barriers were not shared between appends");
    }

    /// <summary>Keeps a few appends in flight, checks each acknowledgement against the durable image as it arrives.</summary>
    private sealed class Producer : ReceiveActor
    {
        private readonly List<(int Index, long Lsn, byte[] Payload)> _acks = [];
        private readonly List<string> _violations = [];

        public Producer(IActorRef log, int id, int count, int inFlight, InstrumentedStore store, IActorRef report)
        {
            var sent = 0;
            void SendNext()
            {
                var payload = System.Text.Encoding.UTF8.GetBytes($"p{id:D2}-{sent:D4}-{new string('x', id % 17)}");
                log.Tell(new Append(payload, CorrelationId: (sent, payload)));
                sent++;
            }

            Receive<Appended>(appended =>
            {
                var (index, payload) = ((int, byte[]))appended.CorrelationId!;
                _acks.Add((index, appended.Lsn.Value, payload));
                try
                {
                    DurabilityOracle.AssertDurable(store.DurableImage, appended.Lsn.Value, payload);
                }
                catch (Exception e)
                {
                    _violations.Add(e.Message);
                }

                if (sent < count)
                {
                    SendNext();
                }
                else if (_acks.Count == count)
                {
                    report.Tell(new Report(_acks, _violations));
                }
            });

            Receive<AppendFailed>(failed => _violations.Add("append failed: " + failed.Reason.Message));

            for (var i = 0; i < inFlight; i++)
            {
                SendNext();
            }
        }

        public sealed record Report(List<(int Index, long Lsn, byte[] Payload)> Acks, List<string> Violations);
    }
}
