namespace WalActors.Storage;

/// <summary>
/// A byte-addressable, growing array of bytes with an explicit durability barrier: where the log keeps its records.
/// </summary>
/// <remarks>
/// <para>The contract every implementation honours:</para>
/// <list type="bullet">
/// <item><see cref="WriteAt"/> may be called from several threads at once for disjoint ranges, in any order.
/// Writing past the end grows the store and zero-fills the gap, as a sparse file does, so a later range
/// written before an earlier one leaves detectable zero bytes between them.</item>
/// <item><see cref="ReadAt"/> returns fewer bytes than asked only when the store ends first; that short
/// read is how recovery sees a torn tail.</item>
/// <item><see cref="Sync"/> returns only when every write that completed before the call is on stable
/// storage. It is the one guarantee the log cannot give itself.</item>
/// <item><see cref="Truncate"/> discards every byte at or after the given length.</item>
/// <item>Offsets never renumber: dropping a prefix with <see cref="TruncateBefore"/> leaves every surviving
/// byte at its position, so a record keeps its LSN for life.</item>
/// <item>A store may drop ranges of records it was told are dead (compaction) without renumbering the rest: a dropped
/// range reads as zeros, <see cref="DataAtOrAfter"/> says where it ends, and <see cref="LayoutVersion"/> changes
/// whenever one is dropped, so a reader that read across the change can tell and read again.</item>
/// </list>
/// <para>Failures surface as <see cref="WalIOException"/>; a read or write below <see cref="Head"/>
/// raises <see cref="LogTruncatedException"/>.</para>
/// </remarks>
public interface IWalStore : IDisposable
{
    /// <summary>Writes <paramref name="bytes"/> at <paramref name="offset"/>, growing the store and zero-filling any gap.</summary>
    void WriteAt(long offset, ReadOnlySpan<byte> bytes);

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>; returns fewer bytes than asked only at the end of the store.</summary>
    int ReadAt(long offset, Span<byte> buffer);

    /// <summary>Discards every byte at or after <paramref name="length"/>, durably, so stale bytes never reappear there.</summary>
    void Truncate(long length);

    /// <summary>Returns once every write that completed before the call will survive a power loss.</summary>
    void Sync();

    /// <summary>The offset one past the last byte the store holds.</summary>
    long Length { get; }

    /// <summary>Whether the store holds no bytes.</summary>
    bool IsEmpty => Length <= Head;

    /// <summary>The position of the first record the store still holds; 0 unless a prefix was dropped.</summary>
    long Head => 0;

    /// <summary>
    /// Drops what the backend can below <paramref name="offset"/>, at its own granularity, and returns the new <see cref="Head"/>.
    /// The head only ever moves to a position declared with <see cref="NoteRecordStart"/> and never past
    /// <paramref name="offset"/>. A backend that cannot drop a prefix leaves the store unchanged and returns its current head.
    /// </summary>
    long TruncateBefore(long offset) => Head;

    /// <summary>
    /// <paramref name="offset"/> itself unless it lies in a range the store dropped; then the end of that range (the next
    /// byte the store still holds, or <see cref="Length"/>). A store that never drops ranges returns <paramref name="offset"/>.
    /// </summary>
    long DataAtOrAfter(long offset) => offset;

    /// <summary>
    /// Changes every time the store drops a range in place. Bytes read under two different versions may mix the two
    /// layouts; a reader that finds them inconsistent reads them again. Zero for a store that never drops ranges.
    /// </summary>
    long LayoutVersion => 0;

    /// <summary>
    /// Declares that a record starts at <paramref name="lsn"/>, a place <see cref="TruncateBefore"/> may move the head to.
    /// Cheap and thread-safe; a backend that cannot drop a prefix ignores it.
    /// </summary>
    void NoteRecordStart(long lsn)
    {
    }
}
