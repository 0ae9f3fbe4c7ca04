namespace WalActors.Benchmarks.Experiments.Paths;

/// <summary>One way of making an append durable: the bytes go to the end of what this path has written so far, and the call returns once they are on stable storage.</summary>
internal interface IAppendPath : IDisposable
{
    void Append(ReadOnlySpan<byte> data);
}
