using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Streams;
using WalActors.Actors.Internal;
using WalActors.Reading;

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
    private readonly ConsumerCommitter _committer;

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
        _committer = new ConsumerCommitter(log);
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
    [SuppressMessage("ApiDesign", "RS0026", Justification = WalActors.Reading.OverloadJustification.ConsumerTail)]
    public IAsyncEnumerable<WalRecord> TailAsync(string consumer, WalConsumerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ConsumerCommitter.CheckName(consumer);
        return ConsumerTail.RunAsync(this, _committer, consumer, options ?? new WalConsumerOptions(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ConsumerPosition> CommitAsync(string consumer, Lsn lsn, bool lossy = false, CancellationToken cancellationToken = default)
    {
        ConsumerCommitter.CheckName(consumer);

        // Reading the record proves the log holds it (a read starts only at a valid frame) and gives where it ends.
        var read = await ReadAsync(lsn, 1, Durability.Durable, cancellationToken).ConfigureAwait(false);
        if (read.Records.Count == 0 || read.Records[0].Lsn != lsn)
        {
            throw new InvalidLsnException(lsn.Value, read.Records.Count == 0 ? "no durable record starts there" : "no record starts there (a commit or marker frame, or a range compaction dropped)");
        }

        return await _committer.CommitAsync(consumer, read.Records[0].Next.Value, lossy, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ConsumerPosition?> GetConsumerAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ConsumerCommitter.CheckName(consumer);
        return (await RegistryAsync(cancellationToken).ConfigureAwait(false)).Find(consumer);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConsumerPosition>> GetConsumersAsync(CancellationToken cancellationToken = default) =>
        (await RegistryAsync(cancellationToken).ConfigureAwait(false)).All();

    /// <inheritdoc />
    public Task RemoveConsumerAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ConsumerCommitter.CheckName(consumer);
        return _committer.CommitWithAsync(new Format.ConsumerCommit(consumer, 0, Lossy: true, Removed: true), [], cancellationToken);
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

    // The registry is complete only once recovery has read every commit frame.
    private async Task<ConsumerRegistry> RegistryAsync(CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _committer.Registry is { } registry && !_appender.IsGone ? registry : throw new WalStoppedException();
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
