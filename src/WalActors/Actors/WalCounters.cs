namespace WalActors;

/// <summary>What a log has done since it started.</summary>
/// <param name="Appends">Records acknowledged.</param>
/// <param name="Bytes">Payload bytes acknowledged.</param>
/// <param name="Writes">Positioned writes issued (each one a batch of appends).</param>
/// <param name="Barriers">Durability barriers completed.</param>
/// <param name="Failed">Appends and batches that failed.</param>
public sealed record WalCounters(long Appends, long Bytes, long Writes, long Barriers, long Failed)
{
    /// <summary>Records per positioned write: how well writers batch.</summary>
    public double MeanWriteBatch => Writes == 0 ? 0 : (double)Appends / Writes;

    /// <summary>Records per barrier: how well barriers are shared.</summary>
    public double MeanBarrierBatch => Barriers == 0 ? 0 : (double)Appends / Barriers;
}
