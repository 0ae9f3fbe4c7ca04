using Akka.Configuration;

namespace WalActors.Persistence.Index;

/// <summary>The journal's persisted index (the journal section's <c>index</c>).</summary>
/// <param name="Persisted">Whether the index is kept on disk and checkpointed; off, it is rebuilt from the whole log at every start and held in memory.</param>
/// <param name="CheckpointBytes">A checkpoint is taken once this much log has been indexed since the last: what a start-up after a crash scans at most (plus the writes of the moment).</param>
/// <param name="CheckpointInterval">And at least this often while anything was indexed.</param>
/// <param name="MaxEventsPerCheckpoint">The most events one checkpoint writes (more are written by the next ones at once): bounds how long it holds the index's lock and how large its batch grows, after a rebuild put a whole log in memory.</param>
internal sealed record IndexSettings(bool Persisted, long CheckpointBytes, TimeSpan CheckpointInterval, int MaxEventsPerCheckpoint)
{
    /// <summary>The subdirectory of the journal's log directory the index lives in.</summary>
    public const string DirectoryName = "index";

    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public static IndexSettings From(Config section, string pluginId)
    {
        var settings = new IndexSettings(
            section.GetBoolean("index.persisted", true),
            section.GetByteSize("index.checkpoint-bytes", 16 * 1024 * 1024) ?? 16 * 1024 * 1024,
            section.GetTimeSpan("index.checkpoint-interval", TimeSpan.FromSeconds(30)),
            section.GetInt("index.max-events-per-checkpoint", 262_144));
        if (settings.MaxEventsPerCheckpoint < 1)
        {
            throw new ArgumentException($"{pluginId}.index.max-events-per-checkpoint must be at least 1; got {settings.MaxEventsPerCheckpoint}.");
        }

        if (settings.CheckpointBytes < 64 * 1024)
        {
            throw new ArgumentException($"{pluginId}.index.checkpoint-bytes must be at least 64 KiB; got {settings.CheckpointBytes}.");
        }

        if (settings.CheckpointInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{pluginId}.index.checkpoint-interval must be positive; got {settings.CheckpointInterval}.");
        }

        return settings;
    }
}
