using System.Runtime.CompilerServices;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using WalActors.Actors;
using WalActors.Cluster.Journal;
using WalActors.Persistence;

namespace WalActors.Cluster.Query;

/// <summary>
/// The Akka.Persistence.Query read journal of the cluster journal (<see cref="WalClusterJournal"/>), usable on every
/// node of the cluster: <c>PersistenceQuery.Get(system).ReadJournalFor&lt;WalClusterReadJournal&gt;(WalClusterReadJournal.Identifier)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Events are read from the shards' ledgers, each from one of its copies (this node's if it keeps one, else the first
/// member of the ledger's ensemble whose node answers), and only up to the end a quorum acknowledged: a query never
/// delivers an event the journal did not acknowledge. <see cref="CurrentEventsByPersistenceId"/> and
/// <see cref="EventsByPersistenceId"/> read the persistence id's shard ledger; the by-tag, all-events and persistence-id
/// queries merge every ledger stored in etcd (a live one picks up ledgers created after it started).
/// </para>
/// <para>
/// Current queries deliver what each ledger's copy has committed when the query reaches its end, then complete. Live
/// queries then ask again every <c>refresh-interval</c> and never complete (except events by persistence id, once
/// they reach the upper bound). Each event is delivered once, in ledger order within its ledger (by persistence id:
/// in sequence-number order); ledgers are merged as their events come, with no order between them. Deleted events are
/// left out when the deletion was committed before the query read past it.
/// </para>
/// <para>
/// Every envelope's offset is a <see cref="LedgerVectorOffset"/>: for each ledger, where the last event delivered from
/// it is. A query from an envelope's offset delivers exactly the events after it (never one again, never one skipped);
/// <see cref="NoOffset"/> and <c>Sequence(0)</c> start at the beginning. A copy that no node answers for within the
/// timeout fails the stream with <see cref="LedgerQuorumException"/>; etcd not answering fails it with a lease error.
/// </para>
/// </remarks>
public sealed class WalClusterReadJournal :
    IPersistenceIdsQuery,
    ICurrentPersistenceIdsQuery,
    IEventsByPersistenceIdQuery,
    ICurrentEventsByPersistenceIdQuery,
    IEventsByTagQuery,
    ICurrentEventsByTagQuery,
    IAllEventsQuery,
    ICurrentAllEventsQuery
{
    /// <summary>The HOCON path of the read journal.</summary>
    public const string Identifier = "walactors.cluster.query";

    private static readonly Lazy<Config> Reference = new(() => EmbeddedConfig.Load("cluster-query.conf")
        .WithFallback(WalClusterJournal.DefaultConfig()));

    private readonly ExtendedActorSystem _system;
    private readonly ClusterQuerySettings _settings;
    private readonly Func<string, ShardLocation> _shardOf;
    private readonly Lazy<LedgerEnsembleStore> _ensembles;
    private readonly ClusterEnvelopes _envelopes;

    internal WalClusterReadJournal(ExtendedActorSystem system, Config config)
    {
        _system = system;
        _settings = ClusterQuerySettings.From(config);
        var journal = ClusterJournalSettings.From(system.Settings.Config);
        var setup = system.Settings.Setup.Get<ShardMappingSetup>();
        _shardOf = setup.HasValue ? setup.Value.ShardOf : id => DefaultShardMapping.Locate(id, journal.NumberOfShards);
        _ensembles = new Lazy<LedgerEnsembleStore>(() => LedgerEnsembleStore.For(system, journal.LeaseConfigPath, journal.EnsembleKeyPrefix));
        _envelopes = new ClusterEnvelopes(system);
    }

    /// <summary>The read journal's HOCON defaults (hocon/cluster-query.conf, over the cluster journal's), which Akka.Persistence.Query loads before creating it.</summary>
    public static Config DefaultConfiguration() => Reference.Value;

    /// <summary>Every persistence id with an event in a ledger, each once, in no particular order; completes.</summary>
    public Source<string, NotUsed> CurrentPersistenceIds() => PersistenceIds(live: false);

    /// <summary>Every persistence id with an event in a ledger, each once, and then those that write their first event; never completes.</summary>
    public Source<string, NotUsed> PersistenceIds() => PersistenceIds(live: true);

    /// <summary>
    /// The events of <paramref name="persistenceId"/> numbered <paramref name="fromSequenceNr"/> to
    /// <paramref name="toSequenceNr"/> (inclusive) committed in its shard's ledger, in order; completes.
    /// </summary>
    /// <exception cref="ArgumentException">The persistence id is null or empty, or the shard mapping refuses it.</exception>
    public Source<EventEnvelope, NotUsed> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        ByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, live: false);

    /// <summary>
    /// The events of <paramref name="persistenceId"/> numbered <paramref name="fromSequenceNr"/> to
    /// <paramref name="toSequenceNr"/> (inclusive), in order, as they are committed; completes once it delivered
    /// <paramref name="toSequenceNr"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The persistence id is null or empty, or the shard mapping refuses it.</exception>
    public Source<EventEnvelope, NotUsed> EventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        ByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, live: true);

    /// <summary>The events tagged <paramref name="tag"/> after <paramref name="offset"/>, from every ledger; completes.</summary>
    /// <exception cref="ArgumentException">The tag is null or empty, or the offset is of a type this journal does not give.</exception>
    public Source<EventEnvelope, NotUsed> CurrentEventsByTag(string tag, Offset offset) => Merged(offset, Tagged(tag), live: false);

    /// <summary>The events tagged <paramref name="tag"/> after <paramref name="offset"/>, from every ledger, as they are committed; never completes.</summary>
    /// <exception cref="ArgumentException">The tag is null or empty, or the offset is of a type this journal does not give.</exception>
    public Source<EventEnvelope, NotUsed> EventsByTag(string tag, Offset offset) => Merged(offset, Tagged(tag), live: true);

    /// <summary>Every event after <paramref name="offset"/>, from every ledger; completes.</summary>
    /// <exception cref="ArgumentException">The offset is of a type this journal does not give.</exception>
    public Source<EventEnvelope, NotUsed> CurrentAllEvents(Offset offset) => Merged(offset, _ => true, live: false);

    /// <summary>Every event after <paramref name="offset"/>, from every ledger, as they are committed; never completes.</summary>
    /// <exception cref="ArgumentException">The offset is of a type this journal does not give.</exception>
    public Source<EventEnvelope, NotUsed> AllEvents(Offset offset) => Merged(offset, _ => true, live: true);

    /// <summary>Where a query from <paramref name="offset"/> starts: NoOffset, null and Sequence(0) are the beginning.</summary>
    /// <exception cref="ArgumentException">Any other offset than a <see cref="LedgerVectorOffset"/>.</exception>
    internal static LedgerVectorOffset Start(Offset? offset) => offset switch
    {
        null or NoOffset => LedgerVectorOffset.Empty,
        Sequence { Value: 0 } => LedgerVectorOffset.Empty,
        LedgerVectorOffset vector => vector,
        _ => throw new ArgumentException(
            $"The cluster read journal takes a LedgerVectorOffset (an envelope's, or LedgerVectorOffset.Parse of one stored), NoOffset or Sequence(0), not {offset}.",
            nameof(offset)),
    };

    private static Func<JournalEvent, bool> Tagged(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return stored => Array.IndexOf(stored.Tags, tag) >= 0;
    }

    private Source<EventEnvelope, NotUsed> ByPersistenceId(string persistenceId, long from, long to, bool live)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        var ledger = _shardOf(persistenceId).LedgerId;
        if (from > to)
        {
            return Source.Empty<EventEnvelope>();
        }

        return Source.From(() => EnsembleOf(ledger, live))
            .ConcatMany(ensemble => Ledger(ledger, ensemble, after: null,
                stored => stored.PersistenceId == persistenceId && stored.SequenceNr >= from && stored.SequenceNr <= to, live))
            .TakeWhile(e => e.Event.SequenceNr < to, inclusive: true)
            .SelectMany(e => _envelopes.Of(e.Event, LedgerVectorOffset.Empty.With(e.Ledger, e.Position)));
    }

    private Source<EventEnvelope, NotUsed> Merged(Offset? offset, Func<JournalEvent, bool> wanted, bool live)
    {
        var start = Start(offset);
        return Ledgers(live)
            .MergeMany(_settings.MaxLedgers, l => Ledger(l.Ledger, l.Ensemble, start.PositionOf(l.Ledger), wanted, live))
            .StatefulSelectMany<LedgerEvent, EventEnvelope, NotUsed>(() =>
            {
                // The vector starts at the query's own offset: a ledger with nothing new keeps its position in every
                // envelope's offset, so that resuming from one does not read that ledger again from its start.
                var vector = start;
                return e =>
                {
                    vector = vector.With(e.Ledger, e.Position);
                    return _envelopes.Of(e.Event, vector);
                };
            });
    }

    private Source<string, NotUsed> PersistenceIds(bool live) =>
        Ledgers(live)
            .MergeMany(_settings.MaxLedgers, l => Ledger(l.Ledger, l.Ensemble, after: null, _ => true, live))
            .StatefulSelectMany<LedgerEvent, string, NotUsed>(() =>
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                return e => seen.Add(e.Event.PersistenceId) ? [e.Event.PersistenceId] : [];
            });

    private Source<LedgerEvent, NotUsed> Ledger(string ledger, IReadOnlyList<Address> ensemble, LedgerPosition? after, Func<JournalEvent, bool> wanted, bool live) =>
        Source.From(() => LedgerEventReader.ReadAsync(
            new LedgerCopyReader(ledger, LedgerCopyReader.CopiesOf(_system, ledger, ensemble), _settings), after, wanted, live, _settings.RefreshInterval));

    // The ledgers in etcd; live: then those stored later, asked for every refresh interval.
    private Source<(string Ledger, IReadOnlyList<Address> Ensemble), NotUsed> Ledgers(bool live) => Source.From(() => ListLedgersAsync(live));

    private async IAsyncEnumerable<(string Ledger, IReadOnlyList<Address> Ensemble)> ListLedgersAsync(bool live, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            foreach (var ledger in await _ensembles.Value.ListAsync().ConfigureAwait(false))
            {
                if (LedgerVectorOffset.IsLedgerId(ledger.Ledger) && seen.Add(ledger.Ledger))
                {
                    if (seen.Count > _settings.MaxLedgers)
                    {
                        throw new ClusterQueryLimitException(seen.Count, _settings.MaxLedgers);
                    }

                    yield return ledger;
                }
            }

            if (!live)
            {
                yield break;
            }

            await Task.Delay(_settings.RefreshInterval, cancel).ConfigureAwait(false);
        }
    }

    // A ledger has no ensemble until its first write: a current query finds nothing, a live one waits for it.
    private async IAsyncEnumerable<IReadOnlyList<Address>> EnsembleOf(string ledger, bool live, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        while (true)
        {
            if (await _ensembles.Value.ReadAsync(ledger).ConfigureAwait(false) is { } ensemble)
            {
                yield return ensemble;
                yield break;
            }

            if (!live)
            {
                yield break;
            }

            await Task.Delay(_settings.RefreshInterval, cancel).ConfigureAwait(false);
        }
    }
}
