namespace WalActors.Host.Bench.Targets;

/// <summary>One append waiting in the ideal loop's queue: a closed-loop producer's reusable waiter, or one offered by the rate pacer.</summary>
internal interface IIdealAppend
{
    ReadOnlyMemory<byte> Payload { get; }

    void Complete();

    void Fail(Exception error);
}
