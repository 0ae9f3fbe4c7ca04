using System.Text;

namespace WalActors.Projections;

/// <summary>
/// The consumers one projection instance commits under: one for an unpartitioned projection, one per owned slice for a
/// partitioned one (<c>projection/NAME#slice-K</c>), and which of them an event's persistence id belongs to.
/// </summary>
internal sealed class ProjectionSlices
{
    private readonly string? _single;
    private readonly int _sliceCount;
    private readonly Dictionary<int, string> _owned = [];

    public ProjectionSlices(string name, ProjectionPartition? partition, int sliceCount)
    {
        var consumer = WalProjection.ConsumerName(name);
        _sliceCount = sliceCount;
        if (partition is null)
        {
            _single = consumer;
            return;
        }

        foreach (var slice in partition.SlicesOf(sliceCount))
        {
            _owned[slice] = $"{consumer}#slice-{slice}";
        }
    }

    /// <summary>Every consumer this instance commits under.</summary>
    public IEnumerable<string> Consumers => _single is { } single ? [single] : _owned.Values;

    public bool IsPartitioned => _single is null;

    /// <summary>The consumer <paramref name="persistenceId"/>'s events are committed under, or null when another instance owns its slice.</summary>
    public string? ConsumerOf(string persistenceId) => _single ?? _owned.GetValueOrDefault(SliceOf(persistenceId, _sliceCount));

    /// <summary>
    /// A persistence id's slice: FNV-1a (32-bit) of its UTF-8 bytes, modulo the slice count. Stable across processes and
    /// versions (string.GetHashCode is randomised per process), so a slice's events are the same wherever it is handled.
    /// </summary>
    public static int SliceOf(string persistenceId, int sliceCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(persistenceId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)sliceCount);
    }
}
