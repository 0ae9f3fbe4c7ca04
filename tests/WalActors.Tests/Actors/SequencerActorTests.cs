using Akka.Actor;
using Akka.TestKit;
using WalActors.Actors;
using WalActors.Actors.Internal;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class SequencerActorTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public void Ranges_never_overlap_even_when_a_batch_is_recycled_the_moment_it_is_granted()
    {
        // The writer runs on the sequencer's own thread (CallingThreadDispatcher), so it returns each batch to the pool, size
        // reset to zero, before the sequencer's Tell returns: the worst interleaving a busy machine can produce.
        var pool = new WriteBatchPool();
        var writer = Sys.ActorOf(Props.Create(() => new RecyclingWriter(pool, TestActor)).WithDispatcher(CallingThreadDispatcher.Id));
        var sequencer = Sys.ActorOf(SequencerActor.Props(start: 0, window: 1024 * 1024).WithDispatcher(CallingThreadDispatcher.Id));

        for (var i = 0; i < 3; i++)
        {
            var batch = pool.Rent();
            batch.Add(new PendingAppend(new Append(new byte[100]), TestActor, frameBytes: 120));
            sequencer.Tell(new Reserve(batch, writer));
        }

        var offsets = new[] { ExpectMsg<long>(), ExpectMsg<long>(), ExpectMsg<long>() };
        Assert.Equal([0L, 120L, 240L], offsets);
    }

    private sealed class RecyclingWriter : ReceiveActor
    {
        public RecyclingWriter(WriteBatchPool pool, IActorRef report) =>
            Receive<Reserved>(reserved =>
            {
                pool.Return(reserved.Batch);
                report.Tell(reserved.Offset);
            });
    }
}
