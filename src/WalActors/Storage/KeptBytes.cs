namespace WalActors.Storage;

/// <summary>Bytes a compaction keeps at log position <paramref name="Position"/> (a frame as it is, or reframed at the same place).</summary>
internal readonly record struct KeptBytes(long Position, ReadOnlyMemory<byte> Bytes);
