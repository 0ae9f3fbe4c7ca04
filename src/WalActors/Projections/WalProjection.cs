using System.Runtime.ExceptionServices;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Format;
using WalActors.Persistence;
using WalActors.Projections;

namespace WalActors;

/// <summary>
/// Projections over a WalActors journal: a handler run for each event of a query, with the offset stored under the
/// projection's name in the journal's own log (a commit frame), so a restarted projection resumes where it committed.
/// </summary>
/// <remarks>
/// <see cref="ProjectionMode"/> says what a crash can repeat or skip. In <see cref="ProjectionMode.ExactlyOnce"/> the
/// events the handler returns and the offset are one atomic batch of the log. Offsets are the read journal's
/// <see cref="Sequence"/> offsets (log positions), so they stay valid as the journal grows and after restarts.
/// </remarks>
public static class WalProjection
{
    /// <summary>The prefix of a projection's consumer name in the journal's log (<c>walactors consumers</c> shows it).</summary>
    public const string ConsumerPrefix = "projection/";

    /// <summary>
    /// Starts projection <paramref name="name"/>: runs <paramref name="handler"/> for each event of
    /// <paramref name="query"/> after the offset it last committed (from the beginning the first time), live, until stopped.
    /// </summary>
    /// <param name="system">The actor system whose WalActors journal is read.</param>
    /// <param name="name">The projection's name: its offset is stored under it (at most 234 UTF-8 bytes).</param>
    /// <param name="query">Which events.</param>
    /// <param name="handler">What runs for each event, one at a time.</param>
    /// <param name="options">Mode, commit frequency and read journal; the defaults (at least once) when null.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or too long, or a partition is asked of a
    /// projection by persistence id, or of more instances than slices.</exception>
    /// <exception cref="InvalidOperationException">An instance running in this actor system already commits under one of this
    /// instance's consumers (the same name unpartitioned, or an overlapping partition): stop it first.</exception>
    /// <exception cref="InvalidCastException">The read journal at <see cref="WalProjectionOptions.QueryPluginId"/> is not a WalActors one.</exception>
    public static WalProjectionHandle Start(ActorSystem system, string name, ProjectionQuery query, IWalProjectionHandler handler, WalProjectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(handler);
        var settings = options ?? new WalProjectionOptions();
        if (settings.Partition is not null && query.PersistenceId is not null)
        {
            throw new ArgumentException("A projection of one persistence id cannot be partitioned: the id is one slice.", nameof(options));
        }

        if (settings.Partition is { } partition && partition.Count > settings.SliceCount)
        {
            throw new ArgumentException($"{partition.Count} instances cannot share {settings.SliceCount} slices: some would own none.", nameof(options));
        }

        var slices = new ProjectionSlices(name, settings.Partition, settings.SliceCount);
        var readJournal = PersistenceQuery.Get(system).ReadJournalFor<WalReadJournal>(settings.QueryPluginId);
        var consumers = slices.Consumers.ToList();
        var running = RunningConsumers.For(system);
        running.Claim(consumers);
        var journal = new ProjectionJournal((ExtendedActorSystem)system, readJournal.Store);
        var aborted = new CancellationTokenSource();
        system.WhenTerminated.ContinueWith(_ => aborted.Cancel(), TaskScheduler.Default);
        var stream = new ProjectionStream(readJournal, journal, slices, query, handler, settings, aborted.Token);

        // The switch sits right after the query: stopping completes the query, and the groups in hand are still handled
        // and committed before the stream completes.
        var (killSwitch, completion) = stream.Events()
            .ViaMaterialized(KillSwitches.Single<EventEnvelope>(), Keep.Right)
            .Via(stream.HandleAndCommit())
            .ToMaterialized(Sink.Ignore<int>(), Keep.Both)
            .Run(system.Materializer());
        return new WalProjectionHandle(name, killSwitch, Finished(completion, () => running.Release(consumers)), stream);
    }

    // The sink's task faults with an AggregateException; callers should meet the handler's or the journal's own error.
    // The consumers are released before the task completes, so whoever awaited it may start the next instance at once.
    private static async Task Finished(Task completion, Action release)
    {
        try
        {
            await completion.ConfigureAwait(false);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        finally
        {
            release();
        }
    }

    /// <summary>The consumer name a projection's offset is committed under.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or too long.</exception>
    public static string ConsumerName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A projection needs a name.", nameof(name));
        }

        // Room is left for a slice's suffix ("#slice-1023"), so a name that works unpartitioned works partitioned too.
        var consumer = ConsumerPrefix + name;
        if (System.Text.Encoding.UTF8.GetByteCount(consumer) > ConsumerCommitCodec.MaxNameBytes - 11)
        {
            throw new ArgumentException($"A projection name is at most {ConsumerCommitCodec.MaxNameBytes - 11 - ConsumerPrefix.Length} UTF-8 bytes.", nameof(name));
        }

        return ConsumerCommitCodec.Problem(consumer) is { } problem ? throw new ArgumentException(problem, nameof(name)) : consumer;
    }
}
