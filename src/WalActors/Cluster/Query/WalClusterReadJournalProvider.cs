using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;

namespace WalActors.Cluster.Query;

/// <summary>Creates the <see cref="WalClusterReadJournal"/> configured at a read-journal HOCON path (its <c>class</c>).</summary>
internal sealed class WalClusterReadJournalProvider : IReadJournalProvider
{
    private readonly WalClusterReadJournal _journal;

    /// <summary>Created by Akka.Persistence.Query with the read journal's configuration section.</summary>
    public WalClusterReadJournalProvider(ExtendedActorSystem system, Config config) => _journal = new WalClusterReadJournal(system, config);

    /// <inheritdoc />
    public IReadJournal GetReadJournal() => _journal;
}
