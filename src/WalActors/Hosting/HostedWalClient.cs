using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Microsoft.Extensions.Hosting;

namespace WalActors.Hosting;

/// <summary>
/// An <see cref="IWalClient"/> for the hosted log of one name, found once the actor system has started it. If the host
/// finishes starting without that log (no <c>WithWriteAheadLog</c> of this name), or the actor system terminates first,
/// every call fails with <see cref="WalNotStartedException"/> instead of waiting for a log that will never come.
/// </summary>
internal sealed class HostedWalClient : IWalClient
{
    private readonly Task<WalClient> _client;

    public HostedWalClient(ActorSystem system, string name, IHostApplicationLifetime? lifetime) =>
        _client = ResolveAsync(system, name, lifetime);

    public Task<RecoveryReport> Ready => Then(c => c.Ready);

    public Task<Lsn> AppendAsync(ReadOnlyMemory<byte> payload, Durability durability = Durability.Durable, CancellationToken cancellationToken = default)
    {
        if (_client.IsCompletedSuccessfully)
        {
            return _client.Result.AppendAsync(payload, durability, cancellationToken);
        }

        var copy = payload.ToArray(); // the contract: the caller may reuse its buffer once this returns
        return Then(c => c.AppendAsync(copy, durability, cancellationToken));
    }

    public bool TryAppend(ReadOnlyMemory<byte> payload, [NotNullWhen(true)] out Task<Lsn>? appended, Durability durability = Durability.Durable)
    {
        if (_client.IsCompletedSuccessfully)
        {
            return _client.Result.TryAppend(payload, out appended, durability);
        }

        if (_client.IsCompleted)
        {
            appended = Then(c => c.AppendAsync(payload, durability));
            return true;
        }

        appended = null;
        return false;
    }

    public Task<IReadOnlyList<Lsn>> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, Durability durability = Durability.Durable, CancellationToken cancellationToken = default)
    {
        if (_client.IsCompletedSuccessfully)
        {
            return _client.Result.AppendBatchAsync(payloads, durability, cancellationToken);
        }

        ArgumentNullException.ThrowIfNull(payloads);
        var copies = payloads.Select(p => (ReadOnlyMemory<byte>)p.ToArray()).ToList();
        return Then(c => c.AppendBatchAsync(copies, durability, cancellationToken));
    }

    public Task<Lsn> SyncAsync(CancellationToken cancellationToken = default) => Then(c => c.SyncAsync(cancellationToken));

    public Task<WalStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Then(c => c.GetStatusAsync(cancellationToken));

    public Task<ReadResult> ReadAsync(Lsn from, int maxRecords, Durability level = Durability.Durable, CancellationToken cancellationToken = default)
    {
        // Checked here too, so a bad read fails the same way before the log is found as after.
        _ = new Read(from, maxRecords, level);
        return Then(c => c.ReadAsync(from, maxRecords, level, cancellationToken));
    }

    public async IAsyncEnumerable<WalRecord> TailAsync(Lsn from, Durability level = Durability.Durable, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await _client.WaitAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var record in client.TailAsync(from, level, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    [SuppressMessage("ApiDesign", "RS0026", Justification = WalActors.Reading.OverloadJustification.ConsumerTail)]

    public async IAsyncEnumerable<WalRecord> TailAsync(string consumer, WalConsumerOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await _client.WaitAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var record in client.TailAsync(consumer, options, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    public Task<ConsumerPosition> CommitAsync(string consumer, Lsn lsn, bool lossy = false, CancellationToken cancellationToken = default) =>
        Then(c => c.CommitAsync(consumer, lsn, lossy, cancellationToken));

    public Task<ConsumerPosition?> GetConsumerAsync(string consumer, CancellationToken cancellationToken = default) =>
        Then(c => c.GetConsumerAsync(consumer, cancellationToken));

    public Task<IReadOnlyList<ConsumerPosition>> GetConsumersAsync(CancellationToken cancellationToken = default) =>
        Then(c => c.GetConsumersAsync(cancellationToken));

    public async Task RemoveConsumerAsync(string consumer, CancellationToken cancellationToken = default) =>
        await (await _client.ConfigureAwait(false)).RemoveConsumerAsync(consumer, cancellationToken).ConfigureAwait(false);

    public Task<Lsn> TruncateBeforeAsync(Lsn lsn, CancellationToken cancellationToken = default) => Then(c => c.TruncateBeforeAsync(lsn, cancellationToken));

    private static async Task<WalClient> ResolveAsync(ActorSystem system, string name, IHostApplicationLifetime? lifetime)
    {
        var logs = HostedLogs.For(system);
        var lookup = logs.WhenRegistered(name);

        // Akka.Hosting starts every actor while the host starts: once it has started, a missing log stays missing.
        var cannotCome = lifetime is null ? system.WhenTerminated : Task.WhenAny(WhenStarted(lifetime), system.WhenTerminated);
        await Task.WhenAny(lookup, cannotCome).ConfigureAwait(false);
        if (lookup.IsCompleted)
        {
            return new WalClient(system, await lookup.ConfigureAwait(false));
        }

        if (!system.WhenTerminated.IsCompleted && logs.TryGet(name, out var registered))
        {
            return new WalClient(system, registered);
        }

        throw new WalNotStartedException(
            $"No write-ahead log named '{name}' was started: the host started (or its actor system stopped) without one. " +
            $"Add WithWriteAheadLog({(name == WriteAheadLog.DefaultName ? "" : $"\"{name}\"")}) to the AddAkka configuration that AddWalClient serves.");
    }

    private static Task WhenStarted(IHostApplicationLifetime lifetime)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task;
    }

    private async Task<T> Then<T>(Func<WalClient, Task<T>> call) => await call(await _client.ConfigureAwait(false)).ConfigureAwait(false);
}
