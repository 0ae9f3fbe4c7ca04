using WalActors.Persistence;

namespace WalActors.Cluster.Query;

/// <summary>One stored event a query read from a ledger, with where it is there.</summary>
internal sealed record LedgerEvent(string Ledger, LedgerPosition Position, JournalEvent Event);
