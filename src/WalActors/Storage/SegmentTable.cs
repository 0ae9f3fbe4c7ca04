namespace WalActors.Storage;

/// <summary>An immutable snapshot of the live segments, contiguous and in offset order; replaced whole on every change.</summary>
internal sealed class SegmentTable
{
    public static readonly SegmentTable Empty = new([]);

    public SegmentTable(Segment[] segments)
    {
        Segments = segments;
    }

    public Segment[] Segments { get; }

    public int Count => Segments.Length;

    public Segment? Last => Segments.Length == 0 ? null : Segments[^1];

    /// <summary>The segment holding <paramref name="offset"/>, or null when it is past the last one or below the first.</summary>
    public Segment? Find(long offset)
    {
        if (Segments.Length == 0)
        {
            return null;
        }

        var first = Segments[0];
        if (offset < first.BaseOffset)
        {
            return null;
        }

        var index = (offset - first.BaseOffset) / first.Size;
        return index < Segments.Length ? Segments[index] : null;
    }
}
