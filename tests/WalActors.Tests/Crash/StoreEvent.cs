namespace WalActors.Tests.Crash;

/// <summary>One thing that happened to a <see cref="PowerLossStore"/>, in the order it happened.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Offset">A write's offset, or a truncation's length.</param>
/// <param name="Bytes">A write's bytes.</param>
/// <param name="Barrier">A barrier's number, pairing its beginning with its end.</param>
/// <param name="Acknowledgement">What the client was told, for <see cref="StoreEventKind.Acknowledged"/>.</param>
internal sealed record StoreEvent(StoreEventKind Kind, long Offset = 0, byte[]? Bytes = null, long Barrier = 0, Acknowledgement? Acknowledgement = null)
{
    public bool IsOperation => Kind != StoreEventKind.Acknowledged;
}
