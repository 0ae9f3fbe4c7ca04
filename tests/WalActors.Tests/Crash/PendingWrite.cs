namespace WalActors.Tests.Crash;

/// <summary>A write the page cache holds that no completed barrier has made durable yet.</summary>
/// <param name="Number">The write's place in the order writes completed, from 0.</param>
/// <param name="Offset">Where it was written.</param>
/// <param name="Bytes">What was written (clipped if a truncation cut into it).</param>
internal sealed record PendingWrite(long Number, long Offset, byte[] Bytes)
{
    public long End => Offset + Bytes.Length;
}
