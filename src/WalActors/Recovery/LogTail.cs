namespace WalActors;

/// <summary>How a log ends, as a read-only scan finds it.</summary>
public enum LogTail
{
    /// <summary>The last valid record is followed by nothing but zeros (or the end of the files).</summary>
    Clean = 0,

    /// <summary>Leftover bytes of an interrupted write follow the last valid record; opening the log truncates them.</summary>
    Torn = 1,

    /// <summary>A record that could have been acknowledged is invalid; opening the log is refused unless salvaged.</summary>
    Damaged = 2,
}
