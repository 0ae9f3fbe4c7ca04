using WalActors.Format;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Compaction;

/// <summary>A segmented log written frame by frame as the pipeline lays it out, with every record start declared.</summary>
internal sealed class CompactionLog(SegmentedStore store)
{
    public const int SegmentSize = 4096;

    public SegmentedStore Store { get; } = store;

    public long End { get; private set; }

    /// <summary>Every record appended, in order, with its LSN.</summary>
    public List<(long Lsn, byte[] Payload)> Records { get; } = [];

    public static SegmentedStoreOptions Options => new() { SegmentSize = SegmentSize };

    /// <summary>Appends <paramref name="count"/> records on their own, payloads numbered from the records so far.</summary>
    public void AppendRecords(int count, int length = 100)
    {
        for (var i = 0; i < count; i++)
        {
            var payload = Numbered(Records.Count, length);
            Store.NoteRecordStart(End);
            Records.Add((End, payload));
            End = TestLog.Append(Store, End, payload, durableEnd: End);
        }
    }

    /// <summary>Appends one atomic batch of <paramref name="count"/> records.</summary>
    public void AppendBatch(int count, int length = 100)
    {
        Store.NoteRecordStart(End);
        var payloads = new List<byte[]>();
        var lsn = End;
        for (var i = 0; i < count; i++)
        {
            var payload = Numbered(Records.Count, length);
            Records.Add((lsn, payload));
            payloads.Add(payload);
            lsn += FrameCodec.FrameSize(payload.Length);
        }

        End = TestLog.AppendBatch(Store, End, payloads, durableEnd: End);
    }

    /// <summary>Fills up to the start of segment <paramref name="segment"/> so the segments before it are closed.</summary>
    public void CloseSegmentsBefore(int segment)
    {
        while (End < (long)segment * SegmentSize)
        {
            AppendRecords(1);
        }

        Store.Sync();
    }

    /// <summary>The number a record's payload starts with.</summary>
    public static int NumberOf(ReadOnlySpan<byte> payload) => BitConverter.ToInt32(payload);

    /// <summary>Records whose number is odd are dead.</summary>
    public static bool EvenIsLive(long lsn, long batchStart, ReadOnlySpan<byte> payload) => NumberOf(payload) % 2 == 0;

    private static byte[] Numbered(int number, int length)
    {
        var payload = TestLog.Payload(number, length);
        BitConverter.GetBytes(number).CopyTo(payload, 0);
        return payload;
    }
}
