namespace WalActors.Format;

/// <summary>What a <see cref="RecordScanner"/> found at its position.</summary>
internal enum ScanStatus
{
    /// <summary>A valid frame.</summary>
    Record,

    /// <summary>The scan reached the end of its range, or the store ended exactly at the position.</summary>
    End,

    /// <summary>The bytes at the position are not a valid frame; <see cref="RecordScanner.Fault"/> says why.</summary>
    Invalid,
}
