using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using WalActors.Tests.Support;
using static WalActors.Host.Tests.CommandRuns;

namespace WalActors.Host.Tests;

/// <summary><c>dump --journal</c> and <c>tail --journal</c> on a log written by the Akka.Persistence journal.</summary>
public sealed class JournalViewTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();

    private string JournalPath => _directory.Combine("journal");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Dump_journal_shows_persistence_id_sequence_number_tags_manifest_and_a_readable_payload()
    {
        await PersistAsync();

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "dump", "--dir", JournalPath, "--journal");

        Assert.True(exit == 0, stderr);
        var lines = Lines(stdout).Select(l => l.Split('\t')).ToList();
        Assert.Equal(["event", "event", "event", "delete"], lines.Select(f => f[1]));
        // Akka keeps an event's tags as a set: their order is not the order they were given in.
        Assert.Equal(["order-7", "1"], lines[0][2..4]);
        Assert.Equal(["eu", "orders"], lines[0][4].Split(',').Order());
        Assert.Equal(["S", "text", "placed"], lines[0][5..]);
        Assert.Equal(["order-7", "2", "-", "S", "text", "paid"], lines[1][2..]);
        Assert.Equal(["order-9", "1", "orders"], lines[2][2..5]);
        Assert.Equal(["order-7", "to=1", "highest=2"], lines[3][2..]);
    }

    [Fact]
    public async Task Tail_journal_jsonl_carries_every_field_and_the_payload_both_as_text_and_as_bytes()
    {
        await PersistAsync();

        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "tail", "--dir", JournalPath, "--journal", "--format", "jsonl");

        Assert.True(exit == 0, stderr);
        var first = JsonDocument.Parse(Lines(stdout)[0]).RootElement;
        Assert.Equal("event", first.GetProperty("kind").GetString());
        Assert.Equal("order-7", first.GetProperty("persistence_id").GetString());
        Assert.Equal(1, first.GetProperty("sequence_nr").GetInt64());
        Assert.Equal(["eu", "orders"], first.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.Equal("S", first.GetProperty("manifest").GetString());
        Assert.Equal("placed", first.GetProperty("text").GetString());
        Assert.Equal("placed"u8.ToArray(), first.GetProperty("payload").GetBytesFromBase64());
        Assert.Equal(Utf8Serializer.Id, first.GetProperty("serializer_id").GetInt32());
        var delete = JsonDocument.Parse(Lines(stdout)[3]).RootElement;
        Assert.Equal("delete", delete.GetProperty("kind").GetString());
        Assert.Equal(1, delete.GetProperty("deleted_to").GetInt64());
    }

    [Fact]
    public async Task Records_of_another_layout_are_shown_as_unreadable_not_as_an_error()
    {
        await TestLogs.WriteAsync(JournalPath, ["\u0042 not a journal record"]);

        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, "dump", "--dir", JournalPath, "--journal");

        Assert.Equal(0, exit);
        Assert.Matches(@"^0\tunreadable\t.+", Lines(stdout).Single());
    }

    /// <summary>Runs a persistent actor on the journal, configured by its three lines of HOCON: three events, two tagged, and a delete.</summary>
    private async Task PersistAsync()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "walactors.persistence.journal"
            walactors.persistence.journal.class = "WalActors.Persistence.WalJournal, WalActors"
            walactors.persistence.journal.directory = {{JsonSerializer.Serialize(JournalPath)}}
            akka.actor.serializers.utf8 = "{{typeof(Utf8Serializer).AssemblyQualifiedName}}"
            akka.actor.serialization-bindings { "System.String" = utf8 }
            """).WithFallback(WalConfig.Defaults);
        using var system = ActorSystem.Create("journal-view", config);
        var orders = system.ActorOf(Props.Create(() => new OrderActor("order-7")));
        Assert.Equal("done", await orders.Ask<string>(new Tagged("placed", ["orders", "eu"]), Patience));
        Assert.Equal("done", await orders.Ask<string>("paid", Patience));
        var other = system.ActorOf(Props.Create(() => new OrderActor("order-9")));
        Assert.Equal("done", await other.Ask<string>(new Tagged("placed", ["orders"]), Patience));
        Assert.Equal("deleted", await orders.Ask<string>(new DeleteUpTo(1), Patience));
        await system.Terminate();
    }

    private sealed record DeleteUpTo(long SequenceNr);

    /// <summary>Persists every string or tagged string it is sent and answers "done"; deletes on request.</summary>
    private sealed class OrderActor : ReceivePersistentActor
    {
        private IActorRef? _deleteRequester;

        public OrderActor(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<Tagged>(tagged => Persist(tagged, _ => Sender.Tell("done")));
            Command<string>(text => Persist(text, _ => Sender.Tell("done")));
            Command<DeleteUpTo>(delete =>
            {
                _deleteRequester = Sender;
                DeleteMessages(delete.SequenceNr);
            });
            Command<DeleteMessagesSuccess>(_ => _deleteRequester?.Tell("deleted"));
            Recover<string>(_ => { });
        }

        public override string PersistenceId { get; }
    }

    /// <summary>Strings as plain UTF-8, with manifest "S": what an application's own serializer might write.</summary>
    public sealed class Utf8Serializer(ExtendedActorSystem system) : Akka.Serialization.SerializerWithStringManifest(system)
    {
        public const int Id = 4242;

        public override int Identifier => Id;

        public override byte[] ToBinary(object obj) => System.Text.Encoding.UTF8.GetBytes((string)obj);

        public override object FromBinary(byte[] bytes, string manifest) => System.Text.Encoding.UTF8.GetString(bytes);

        public override string Manifest(object o) => "S";
    }
}
