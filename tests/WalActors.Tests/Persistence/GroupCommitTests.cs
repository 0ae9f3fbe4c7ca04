using Akka.Actor;
using Xunit.Abstractions;

namespace WalActors.Tests.Persistence;

public sealed class GroupCommitTests(ITestOutputHelper output) : JournalTestKit(output)
{
    [Fact]
    public async Task A_hundred_actors_persisting_at_once_share_barriers_and_recover_their_events()
    {
        const int actors = 100, eventsEach = 20;
        var store = StoreOf(Sys);
        await store.Ready;
        var before = (await store.Client.GetStatusAsync()).Counters;

        var refs = Enumerable.Range(0, actors).Select(a => Sys.ActorOf(RecordingActor.Props($"actor-{a}"))).ToList();
        // Each actor persists one event at a time (Persist stashes commands until its event is durable), all actors at once.
        await Task.WhenAll(refs.Select(async (actor, a) =>
        {
            for (var e = 0; e < eventsEach; e++)
            {
                Assert.Equal($"a{a}-e{e}-done", await actor.Ask<string>($"a{a}-e{e}", TimeSpan.FromSeconds(30)));
            }
        }));

        var after = (await store.Client.GetStatusAsync()).Counters;
        var events = after.Appends - before.Appends;
        var barriers = after.Barriers - before.Barriers;
        Output.WriteLine($"{events} events, {barriers} barriers, {(double)events / barriers:F1} events per barrier");
        Assert.Equal(actors * eventsEach, events);
        Assert.True(barriers * 5 <= events, $"{barriers} barriers for {events} events: writes are not sharing barriers");

        // A fresh incarnation of one of them recovers exactly its own events.
        await refs[42].GracefulStop(TimeSpan.FromSeconds(10));
        var recovered = await Sys.ActorOf(RecordingActor.Props("actor-42")).Ask<List<string>>(RecordingActor.GetEvents.Instance, TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, eventsEach).Select(e => $"a42-e{e}"), recovered);
    }
}
