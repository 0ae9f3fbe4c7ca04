using System.Threading.Tasks.Sources;

namespace WalActors.Host.Bench.Targets;

/// <summary>One producer's reusable completion for the ideal loop: no allocation per append.</summary>
internal sealed class IdealWaiter(ReadOnlyMemory<byte> payload, bool inlineContinuations) : IValueTaskSource, IIdealAppend
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = !inlineContinuations };

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public ValueTask Arm()
    {
        _core.Reset();
        return new ValueTask(this, _core.Version);
    }

    public void Complete() => _core.SetResult(true);

    public void Fail(Exception error) => _core.SetException(error);

    public void GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
