using WalActors.Host.Cli;
using WalActors.Reading;

namespace WalActors.Host.Reading;

/// <summary>
/// The records a read-only command prints: a log checked once (its end and how it ends fixed by that scan), a start
/// that must be one of its records, and the verdict afterwards. Shared by <c>dump</c> and <c>tail</c>, so both refuse
/// the same starts with the same words and end with the same exit codes.
/// </summary>
internal sealed class RecordListing
{
    private RecordListing(string directory, LogInspection log, long? from)
    {
        Directory = directory;
        Log = log;
        From = from;
    }

    public string Directory { get; }

    /// <summary>What the scan found; records appended after it are left for the next run.</summary>
    public LogInspection Log { get; }

    public long? From { get; }

    /// <summary>Scans the log in <paramref name="directory"/> and checks <paramref name="from"/> against it.</summary>
    /// <exception cref="UsageException"><paramref name="from"/> is below the head or beyond the end (of an undamaged log).</exception>
    public static RecordListing Open(string directory, long? from)
    {
        var full = LogDirectory.ForReading(directory);
        var log = WalDirectory.Inspect(full);
        // Past damage the scan's end is the damage, not the end of the data: a start there may still hold valid records.
        if (from > log.End.Value && log.Tail != LogTail.Damaged)
        {
            throw new UsageException($"--from {from} is beyond the end of the log, LSN {log.End}.");
        }

        if (from < log.Head.Value)
        {
            throw new UsageException($"--from {from} is below the head of the log, LSN {log.Head}: retention dropped the records before it.");
        }

        return new RecordListing(full, log, from);
    }

    /// <summary>The records from the start to the end the scan found, in LSN order.</summary>
    /// <exception cref="InvalidLsnException">No record starts at the start.</exception>
    public IEnumerable<WalRecord> Records()
    {
        var end = From > Log.End.Value ? new Lsn(long.MaxValue) : Log.End;
        if ((From ?? Log.Head.Value) >= end.Value)
        {
            // Nothing to list; past the end the reader would judge a torn tail as a bad start.
            yield break;
        }

        var first = true;
        foreach (var record in WalDirectory.Read(Directory, From is { } lsn ? new Lsn(lsn) : null))
        {
            if (record.Lsn >= end)
            {
                break;
            }

            // The reader starts wherever it is told; at a position inside a record it may find bytes that happen to
            // look like nothing (padding), so the first record must be exactly where the user asked.
            if (first && From is { } start && record.Lsn.Value != start && !MarkerRun.OnlyMarkersBetween(Directory, start, record.Lsn.Value))
            {
                throw NotARecord(start);
            }

            first = false;
            yield return record;
        }

        if (first && From is { } asked && !MarkerRun.OnlyMarkersBetween(Directory, asked, end.Value))
        {
            throw NotARecord(asked);
        }
    }

    /// <summary>Checks that a record starts at the start, without listing the rest.</summary>
    public void CheckStart() => _ = Records().FirstOrDefault(); // reading the first record is the check: it throws at a bad start

    /// <summary>Reports a torn tail or damage on <paramref name="error"/> and returns the log's exit code.</summary>
    public int Finish(TextWriter error)
    {
        switch (Log.Tail)
        {
            case LogTail.Torn:
                error.WriteLine($"walactors: torn tail at LSN {Log.End}: {Log.TailBytes:N0} bytes of an interrupted write ({Log.Problem}); " +
                                "normal after a crash, the next open for writing cuts it off");
                break;
            case LogTail.Damaged:
                error.WriteLine($"walactors: DAMAGE at LSN {Log.End}: {Log.Problem}");
                break;
        }

        return ExitCodes.For(Log.Tail);
    }

    private static InvalidLsnException NotARecord(long lsn) => new(lsn, "no valid record starts there");
}
