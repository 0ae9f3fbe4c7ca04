namespace WalActors.Cluster.Tests.History;

/// <summary>One event of a persistence id as a read saw it: the journal's sequence number and the value persisted.</summary>
public readonly record struct HistoryEvent(long SequenceNr, string Value);
