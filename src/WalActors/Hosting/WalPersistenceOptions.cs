namespace WalActors;

/// <summary>
/// What <c>WithWalPersistence</c> sets up: a WalActors journal, its read journal and a WalActors snapshot store (or, if
/// asked, Akka's local one), all under one <see cref="Directory"/>.
/// </summary>
public sealed record WalPersistenceOptions
{
    /// <summary>
    /// The root directory: the journal's log goes in <c>journal/</c> under it, and snapshots in <c>snapshot-log/</c> (a
    /// WalActors log), or in <c>snapshots/</c> with <see cref="UseLocalSnapshotStore"/>.
    /// </summary>
    public string Directory { get; init; } = "wal-persistence";

    /// <summary>Where snapshots go instead of their folder under <see cref="Directory"/>. With Akka's local snapshot store, one per actor system: it reads a single setting.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>
    /// Keep snapshots in Akka's local snapshot store (files in <c>snapshots/</c>, what this option set up before the
    /// WalActors snapshot store existed) instead of <see cref="Persistence.WalSnapshotStore"/>. False by default.
    /// </summary>
    public bool UseLocalSnapshotStore { get; init; }

    /// <summary>The journal's name: it is configured at <c>akka.persistence.journal.{Identifier}</c>, its read journal at <c>akka.persistence.query.journal.{Identifier}</c>.</summary>
    public string Identifier { get; init; } = "wal";

    /// <summary>
    /// Whether this journal (and its snapshot store) become the system's defaults, and the read journal at
    /// <c>WalReadJournal.Identifier</c> serves it. Set false for further journals, chosen per actor with <c>JournalPluginId</c>.
    /// </summary>
    public bool IsDefaultPlugin { get; init; } = true;

    /// <summary>Adjusts the journal log's settings (segment size, sync interval, ...); its directory is always <see cref="JournalDirectory"/>.</summary>
    public Func<WalOptions, WalOptions>? Log { get; init; }

    /// <summary>The journal's plugin id, for <c>JournalPluginId</c>.</summary>
    public string JournalPluginId => "akka.persistence.journal." + Identifier;

    /// <summary>The read journal's id, for <c>ReadJournalFor&lt;WalReadJournal&gt;</c>.</summary>
    public string QueryPluginId => "akka.persistence.query.journal." + Identifier;

    /// <summary>The directory of the journal's log.</summary>
    public string JournalDirectory => Path.GetFullPath(Path.Combine(Directory, "journal"));

    /// <summary>The snapshot store's plugin id: <c>akka.persistence.snapshot-store.{Identifier}</c>, or Akka's local store's.</summary>
    public string SnapshotPluginId => UseLocalSnapshotStore ? "akka.persistence.snapshot-store.local" : "akka.persistence.snapshot-store." + Identifier;

    /// <summary>The directory snapshots are written to.</summary>
    public string SnapshotsDirectory => Path.GetFullPath(SnapshotDirectory ?? Path.Combine(Directory, UseLocalSnapshotStore ? "snapshots" : "snapshot-log"));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("WalPersistenceOptions.Directory must name a directory.", nameof(Directory));
        }

        if (string.IsNullOrWhiteSpace(Identifier) || !Identifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"WalPersistenceOptions.Identifier must be letters, digits, '-' or '_'; got '{Identifier}'.", nameof(Identifier));
        }
    }
}
