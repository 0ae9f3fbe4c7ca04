namespace WalActors.Tests.Crash;

/// <summary>One append or atomic batch a crash-test producer sends.</summary>
internal sealed record WorkloadRequest(int Generation, int Producer, int Sequence, IReadOnlyList<byte[]> Payloads, Durability Durability, bool IsBatch)
{
    public PayloadTag Tag(int index) => new(Generation, Producer, Sequence, index);

    public object ToMessage(object correlationId) => IsBatch
        ? new AppendBatch(Payloads.Select(p => (ReadOnlyMemory<byte>)p).ToList(), Durability, correlationId)
        : new Append(Payloads[0], Durability, correlationId);

    public override string ToString() =>
        $"g{Generation}/p{Producer}/#{Sequence} ({(IsBatch ? $"batch of {Payloads.Count}" : "append")}, {Durability})";
}
