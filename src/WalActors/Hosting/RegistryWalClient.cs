using Akka.Actor;
using Akka.Hosting;

namespace WalActors;

/// <summary>An <see cref="IWalClient"/> that finds its log in the ActorRegistry once the actor system has started it.</summary>
internal sealed class RegistryWalClient<TKey>(ActorSystem system, IRequiredActor<TKey> log) : IWalClient
{
    private readonly Task<WalClient> _client = ResolveAsync(system, log);

    public Task<RecoveryReport> Ready => Then(c => c.Ready);

    public Task<Lsn> AppendAsync(ReadOnlyMemory<byte> payload, Durability durability = Durability.Durable) =>
        _client.IsCompletedSuccessfully ? _client.Result.AppendAsync(payload, durability) : Then(c => c.AppendAsync(payload, durability));

    public Task<IReadOnlyList<Lsn>> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, Durability durability = Durability.Durable) =>
        Then(c => c.AppendBatchAsync(payloads, durability));

    public Task<Lsn> SyncAsync(CancellationToken cancellationToken = default) => Then(c => c.SyncAsync(cancellationToken));

    public Task<WalStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Then(c => c.GetStatusAsync(cancellationToken));

    public Task<ReadResult> ReadAsync(Lsn from, int maxRecords, Durability level = Durability.Durable, CancellationToken cancellationToken = default) =>
        Then(c => c.ReadAsync(from, maxRecords, level, cancellationToken));

    public async IAsyncEnumerable<WalRecord> TailAsync(Lsn from, Durability level = Durability.Durable, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await _client.ConfigureAwait(false);
        await foreach (var record in client.TailAsync(from, level, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    public Task<Lsn> TruncateBeforeAsync(Lsn lsn, CancellationToken cancellationToken = default) => Then(c => c.TruncateBeforeAsync(lsn, cancellationToken));

    private static async Task<WalClient> ResolveAsync(ActorSystem system, IRequiredActor<TKey> log) => new(system, await log.GetAsync().ConfigureAwait(false));

    private async Task<T> Then<T>(Func<WalClient, Task<T>> call) => await call(await _client.ConfigureAwait(false)).ConfigureAwait(false);
}
