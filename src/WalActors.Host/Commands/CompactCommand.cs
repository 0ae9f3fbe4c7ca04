using System.CommandLine;
using Akka.Actor;
using Akka.Configuration;
using WalActors.Host.Cli;
using WalActors.Host.Reading;
using WalActors.Host.Runtime;
using WalActors.Persistence;
using WalActors.Persistence.Snapshots;

namespace WalActors.Host.Commands;

/// <summary><c>walactors compact --dir DIR [--snapshots]</c>: compact a journal's (or snapshot store's) log that is not in use.</summary>
internal static class CompactCommand
{
    public static Command Create()
    {
        var dir = CommandOptions.Directory("The log directory of a WalJournal (or, with --snapshots, of a WalSnapshotStore).");
        var snapshots = new Option<bool>("--snapshots")
        {
            Description = "The log is a snapshot store's: drop deleted snapshots and snapshots saved over.",
        };
        var command = new DocumentedCommand("compact", "Reclaim the disk a journal's deleted events take (the log must not be in use).", """
            Opens the log as its plugin would (recovering it first), drops from every closed segment the records that are
            dead — events at or below their persistence id's DeleteMessagesTo, tombstones a newer one superseded; with
            --snapshots, deleted snapshots and snapshots saved over — and prints the bytes before and after and the
            records kept and dropped. Every record kept keeps its LSN, so stored read-journal offsets stay valid. The
            segment being written (the last one) is never compacted. A running journal compacts itself (its
            compaction section); this is for a log no process has open, which this command refuses (exit 4).

            Examples:
              walactors compact --dir ./wal-journal
              walactors compact --dir ./wal-snapshots --snapshots
            """)
        {
            dir,
            snapshots,
        };
        command.SetGuardedAction((result, cancellation) => RunAsync(result.GetValue(dir)!, result.GetValue(snapshots), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string directory, bool snapshots, CancellationToken cancellation)
    {
        var full = LogDirectory.ForReading(directory);
        if (!Storage.SegmentedStore.Exists(full))
        {
            throw new NotAWalLogException(full, $"there is no '{Storage.StoreManifest.FileName}' file");
        }

        var pluginId = snapshots ? WalPersistence.SnapshotStorePluginId : WalPersistence.JournalPluginId;
        var config = ConfigurationFactory.ParseString($$"""
            {{pluginId}} {
              directory = "{{full.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}}"
              compaction.enabled = off
              # No appends share the log with this pass: nothing to leave room for.
              compaction.rate-bytes-per-sec = 0
            }
            """).WithFallback(CommandSystemConfig.WithLogDefaults).WithFallback(WalPersistence.DefaultConfig());
        var system = ActorSystem.Create("walactors", config);
        try
        {
            var compacted = snapshots
                ? await CompactSnapshotsAsync(system, pluginId, cancellation).ConfigureAwait(false)
                : await CompactJournalAsync(system, pluginId, cancellation).ConfigureAwait(false);
            Print(full, compacted);
            return ExitCodes.Ok;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static async Task<LogCompacted> CompactJournalAsync(ActorSystem system, string pluginId, CancellationToken cancellation)
    {
        var store = JournalStores.Get(system).For(pluginId);
        await store.Ready.WaitAsync(cancellation).ConfigureAwait(false);
        return await store.Compactor.CompactNowAsync(cancellation).ConfigureAwait(false);
    }

    private static async Task<LogCompacted> CompactSnapshotsAsync(ActorSystem system, string pluginId, CancellationToken cancellation)
    {
        var log = SnapshotLogs.Get(system).For(pluginId);
        await log.Ready.WaitAsync(cancellation).ConfigureAwait(false);
        return await log.Compactor.CompactNowAsync(cancellation).ConfigureAwait(false);
    }

    private static void Print(string directory, LogCompacted compacted)
    {
        if (compacted.SegmentsRewritten == 0)
        {
            Console.WriteLine($"nothing to compact in {directory}: {compacted.BytesBefore:N0} bytes, no closed segment holds a dead record");
            return;
        }

        var share = compacted.BytesBefore == 0 ? 1 : (double)compacted.BytesAfter / compacted.BytesBefore;
        Console.WriteLine($"compacted {directory}: {compacted.BytesBefore:N0} -> {compacted.BytesAfter:N0} bytes ({share * 100:F1}%), {compacted.SegmentsRewritten:N0} segments rewritten");
        Console.WriteLine($"records: {compacted.RecordsKept:N0} kept, {compacted.RecordsDropped:N0} dropped");
    }
}
