using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Streams;
using WalActors.Actors.Internal;

namespace WalActors;

/// <summary>
/// <see cref="IWalClient"/> over a log's actor. Appends complete a task directly from the durability actor, with no
/// temporary actor per call.
/// </summary>
public sealed class WalClient : IWalClient
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);
    private readonly IActorRef _log;
    private readonly ActorSystem _system;
    private readonly Lazy<Task<RecoveryReport>> _ready;
    private readonly Lazy<IMaterializer> _materializer;

    /// <summary>Wraps the log actor returned by <see cref="WriteAheadLog.Start(ActorSystem, WalOptions, string)"/>.</summary>
    public WalClient(ActorSystem system, IActorRef log)
    {
        _system = system ?? throw new ArgumentNullException(nameof(system));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _ready = new Lazy<Task<RecoveryReport>>(AwaitReadyAsync);
        _materializer = new Lazy<IMaterializer>(() => _system.Materializer());
    }

    /// <summary>The log's actor.</summary>
    public IActorRef Log => _log;

    /// <inheritdoc />
    public Task<RecoveryReport> Ready => _ready.Value;

    /// <inheritdoc />
    public Task<Lsn> AppendAsync(ReadOnlyMemory<byte> payload, Durability durability = Durability.Durable)
    {
        if (_system.WhenTerminated.IsCompleted)
        {
            return Task.FromException<Lsn>(new WalStoppedException());
        }

        var completion = new TaskCompletionSource<Lsn>(TaskCreationOptions.RunContinuationsAsynchronously);
        _log.Tell(new Append(payload, durability) { Completion = completion }, ActorRefs.NoSender);
        return completion.Task;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Lsn>> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, Durability durability = Durability.Durable)
    {
        if (_system.WhenTerminated.IsCompleted)
        {
            return Task.FromException<IReadOnlyList<Lsn>>(new WalStoppedException());
        }

        var completion = new TaskCompletionSource<IReadOnlyList<Lsn>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _log.Tell(new AppendBatch(payloads, durability) { Completion = completion }, ActorRefs.NoSender);
        return completion.Task;
    }

    /// <inheritdoc />
    public async Task<Lsn> SyncAsync(CancellationToken cancellationToken = default) =>
        (await _log.Ask<Synced>(Sync.Instance, QueryTimeout, cancellationToken).ConfigureAwait(false)).DurableEnd;

    /// <inheritdoc />
    public async Task<ReadResult> ReadAsync(Lsn from, int maxRecords, Durability level = Durability.Durable, CancellationToken cancellationToken = default)
    {
        var reply = await _log.Ask<object>(new Read(from, maxRecords, level), QueryTimeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            ReadResult result => result,
            ReadFailed failed => throw failed.Reason,
            _ => throw new InvalidOperationException($"Unexpected reply {reply}."),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WalRecord> TailAsync(Lsn from, Durability level = Durability.Durable, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var record in WalSource.Tail(_log, from, level).RunAsAsyncEnumerable(_materializer.Value).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async Task<Lsn> TruncateBeforeAsync(Lsn lsn, CancellationToken cancellationToken = default)
    {
        var reply = await _log.Ask<object>(new TruncateBefore(lsn), QueryTimeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            TruncatedBefore truncated => truncated.Head,
            ReadFailed failed => throw failed.Reason,
            _ => throw new InvalidOperationException($"Unexpected reply {reply}."),
        };
    }

    /// <inheritdoc />
    public Task<WalStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        _log.Ask<WalStatus>(GetStatus.Instance, QueryTimeout, cancellationToken);

    private async Task<RecoveryReport> AwaitReadyAsync() =>
        (await _log.Ask<WalReady>(AwaitReady.Instance, Timeout.InfiniteTimeSpan).ConfigureAwait(false)).Report;
}
