using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;

namespace WalActors.Persistence;

/// <summary>Creates the <see cref="WalReadJournal"/> configured at a read-journal HOCON path (its <c>class</c>).</summary>
internal sealed class WalReadJournalProvider : IReadJournalProvider
{
    private readonly WalReadJournal _journal;

    /// <summary>Created by Akka.Persistence.Query with the read journal's configuration section.</summary>
    public WalReadJournalProvider(ExtendedActorSystem system, Config config) => _journal = new WalReadJournal(system, config);

    /// <inheritdoc />
    public IReadJournal GetReadJournal() => _journal;
}
