namespace WalActors.Format;

/// <summary>Why the bytes at a position are not a valid frame.</summary>
internal enum FrameFault
{
    /// <summary>The bytes are a valid frame.</summary>
    None = 0,

    /// <summary>The header is all zeros: space that was never written (a clean end, or a hole).</summary>
    Zeros,

    /// <summary>The store ends inside the frame.</summary>
    Short,

    /// <summary>The bytes do not begin with the frame magic (and are not a torn prefix of it).</summary>
    BadMagic,

    /// <summary>The frame was written by a newer format version.</summary>
    FutureVersion,

    /// <summary>The header's version, kind, or position check is invalid.</summary>
    BadHeader,

    /// <summary>The header declares a payload larger than the maximum record size.</summary>
    TooLarge,

    /// <summary>The checksum does not match the header and payload.</summary>
    BadChecksum,
}
