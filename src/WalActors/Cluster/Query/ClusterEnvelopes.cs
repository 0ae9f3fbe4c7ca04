using Akka.Actor;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using WalActors.Cluster.Journal;
using WalActors.Persistence;
using AkkaPersistence = Akka.Persistence.Persistence;

namespace WalActors.Cluster.Query;

/// <summary>
/// Turns stored events into query envelopes: deserialized with the serializer they were written with, through the
/// cluster journal's read-side event adapters (one stored event may become none or several, all with its offset).
/// </summary>
internal sealed class ClusterEnvelopes(ExtendedActorSystem system)
{
    private readonly EventSerializer _serializer = new(system);
    private readonly EventAdapters _adapters = AkkaPersistence.Instance.Apply(system).AdaptersFor(ClusterJournalSettings.Path);

    public IEnumerable<EventEnvelope> Of(JournalEvent stored, Offset offset)
    {
        var payload = _serializer.Deserialize(stored);
        foreach (var adapted in _adapters.Get(payload.GetType()).FromJournal(payload, stored.EventManifest).Events)
        {
            yield return new EventEnvelope(offset, stored.PersistenceId, stored.SequenceNr, adapted, stored.Timestamp, stored.Tags);
        }
    }
}
