using Akka.Hosting;

namespace WalActors;

/// <summary>An <see cref="IWalClient"/> that finds its log in the ActorRegistry once the actor system has started it.</summary>
internal sealed class RegistryWalClient<TKey>(IRequiredActor<TKey> log) : IWalClient
{
    private readonly Task<WalClient> _client = ResolveAsync(log);

    public Task<RecoveryReport> Ready => Then(c => c.Ready);

    public Task<Lsn> AppendAsync(ReadOnlyMemory<byte> payload, Durability durability = Durability.Durable) =>
        _client.IsCompletedSuccessfully ? _client.Result.AppendAsync(payload, durability) : Then(c => c.AppendAsync(payload, durability));

    public Task<IReadOnlyList<Lsn>> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, Durability durability = Durability.Durable) =>
        Then(c => c.AppendBatchAsync(payloads, durability));

    public Task<Lsn> SyncAsync(CancellationToken cancellationToken = default) => Then(c => c.SyncAsync(cancellationToken));

    public Task<WalStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Then(c => c.GetStatusAsync(cancellationToken));

    private static async Task<WalClient> ResolveAsync(IRequiredActor<TKey> log) => new(await log.GetAsync().ConfigureAwait(false));

    private async Task<T> Then<T>(Func<WalClient, Task<T>> call) => await call(await _client.ConfigureAwait(false)).ConfigureAwait(false);
}
