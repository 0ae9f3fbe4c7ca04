using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Streams;
using WalActors.Actors.Internal;

namespace WalActors;

/// <summary>
/// <see cref="IWalClient"/> over a log's actor in this process. Appends complete a task directly from the durability
/// actor, with no temporary actor per call; queries are asks that also end, at once, when the log's actor terminates.
/// </summary>
public sealed class WalClient : IWalClient
{
    // A backstop only: every query is answered by the log, or fails when its actor terminates.
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);
    private readonly IActorRef _log;
    private readonly ActorSystem _system;
    private readonly LogAppender _appender;
    private readonly Lazy<Task<RecoveryReport>> _ready;
    private readonly Lazy<Task> _gone;
    private readonly Lazy<IMaterializer> _materializer;

    /// <summary>Wraps the log actor returned by <see cref="WriteAheadLog.Start(ActorSystem, WalOptions, string)"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="log"/> is a live actor that is not a WalActors log of this process.</exception>
    public WalClient(ActorSystem system, IActorRef log)
    {
        _system = system ?? throw new ArgumentNullException(nameof(system));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _appender = new LogAppender(log);
        _gone = new Lazy<Task>(() => Task.WhenAny(_log.WatchAsync(), _system.WhenTerminated));
        _ready = new Lazy<Task<RecoveryReport>>(AwaitReadyAsync);
        _materializer = new Lazy<IMaterializer>(() => _system.Materializer());
    }

    /// <summary>The log's actor.</summary>
    public IActorRef Log => _log;

    /// <inheritdoc />
    public Task<RecoveryReport> Ready => _ready.Value;

    /// <inheritdoc />
    public Task<Lsn> AppendAsync(ReadOnlyMemory<byte> payload, Durability durability = Durability.Durable, CancellationToken cancellationToken = default) =>
        Gone() ?? _appender.AppendAsync(payload.ToArray(), durability, cancellationToken);

    /// <inheritdoc />
    public bool TryAppend(ReadOnlyMemory<byte> payload, [NotNullWhen(true)] out Task<Lsn>? appended, Durability durability = Durability.Durable)
    {
        if (Gone() is { } gone)
        {
            appended = gone;
            return true;
        }

        // Copied only once there is room: a refused append costs no allocation.
        if (!_appender.HasRoom)
        {
            appended = null;
            return false;
        }

        return _appender.TryAppend(payload.ToArray(), durability, out appended);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Lsn>> AppendBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, Durability durability = Durability.Durable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        if (_system.WhenTerminated.IsCompleted)
        {
            return Task.FromException<IReadOnlyList<Lsn>>(new WalStoppedException());
        }

        var copies = new ReadOnlyMemory<byte>[payloads.Count];
        for (var i = 0; i < copies.Length; i++)
        {
            copies[i] = payloads[i].ToArray();
        }

        return _appender.AppendBatchAsync(copies, durability, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Lsn> SyncAsync(CancellationToken cancellationToken = default) =>
        (await AskAsync<Synced>(Sync.Instance, cancellationToken).ConfigureAwait(false)).DurableEnd;

    /// <inheritdoc />
    public Task<ReadResult> ReadAsync(Lsn from, int maxRecords, Durability level = Durability.Durable, CancellationToken cancellationToken = default) =>
        AskAsync<ReadResult>(new Read(from, maxRecords, level), cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<WalRecord> TailAsync(Lsn from, Durability level = Durability.Durable, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var record in WalSource.Tail(_log, from, level).RunAsAsyncEnumerable(Materializer()).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }

        // The stream also ends quietly when cancelled; say so, as ChannelReader.ReadAllAsync does.
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <inheritdoc />
    public async Task<Lsn> TruncateBeforeAsync(Lsn lsn, CancellationToken cancellationToken = default) =>
        (await AskAsync<TruncatedBefore>(new TruncateBefore(lsn), cancellationToken).ConfigureAwait(false)).Head;

    /// <inheritdoc />
    public Task<WalStatus> GetStatusAsync(CancellationToken cancellationToken = default) => AskAsync<WalStatus>(GetStatus.Instance, cancellationToken);

    private IMaterializer Materializer()
    {
        if (_appender.IsGone || _system.WhenTerminated.IsCompleted)
        {
            throw new WalStoppedException();
        }

        try
        {
            return _materializer.Value;
        }
        catch (InvalidOperationException)
        {
            // "Cannot create child while terminating": the system is going down, and the log with it.
            throw new WalStoppedException();
        }
    }

    private Task<Lsn>? Gone() => _system.WhenTerminated.IsCompleted ? Task.FromException<Lsn>(new WalStoppedException()) : null;

    private async Task<RecoveryReport> AwaitReadyAsync() =>
        (await AskAsync<WalReady>(AwaitReady.Instance, CancellationToken.None, Timeout.InfiniteTimeSpan).ConfigureAwait(false)).Report;

    /// <summary>
    /// Asks the log, failing with <see cref="WalStoppedException"/> at once if its actor has terminated, or as soon as it
    /// terminates before answering.
    /// </summary>
    private async Task<T> AskAsync<T>(object message, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (_appender.IsGone || _system.WhenTerminated.IsCompleted)
        {
            throw new WalStoppedException();
        }

        var reply = _log.Ask<T>(message, timeout ?? QueryTimeout, cancellationToken);
        if (await Task.WhenAny(reply, _gone.Value).ConfigureAwait(false) != reply && !reply.IsCompleted)
        {
            throw new WalStoppedException();
        }

        return await reply.ConfigureAwait(false);
    }
}
