using Akka.Actor;
using Akka.Configuration;
using WalActors.Tests.Support;

namespace WalActors.Tests.Persistence;

public sealed class ThreeLinesOfHoconTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Three_lines_of_hocon_switch_an_application_to_the_journal_which_persists_and_recovers()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.plugin = "walactors.persistence.journal"
            walactors.persistence.journal.class = "WalActors.Persistence.WalJournal, WalActors"
            walactors.persistence.journal.directory = "{{_directory.Combine("journal")}}"
            akka.loglevel = WARNING
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """);

        var first = ActorSystem.Create("three-lines", config);
        Assert.Equal("x-done", await first.ActorOf(RecordingActor.Props("plain")).Ask<string>("x", TimeSpan.FromSeconds(60)));
        await first.Terminate();

        var second = ActorSystem.Create("three-lines", config);
        try
        {
            var recovered = await second.ActorOf(RecordingActor.Props("plain")).Ask<List<string>>(RecordingActor.GetEvents.Instance, TimeSpan.FromSeconds(60));
            Assert.Equal(["x"], recovered);
        }
        finally
        {
            await second.Terminate();
        }
    }
}
