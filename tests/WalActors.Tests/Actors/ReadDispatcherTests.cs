using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using WalActors.Storage;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class ReadDispatcherTests(ITestOutputHelper output) : WalTestKit(output, """
    one-thread-read-dispatcher {
      type = ForkJoinDispatcher
      throughput = 100
      dedicated-thread-pool {
        thread-count = 1
        threadtype = background
      }
    }
    """)
{
    [Fact]
    public async Task Tails_read_on_the_log_s_configured_read_dispatcher()
    {
        var store = new ReadRecordingStore();
        var log = StartLog(store, SmallLog() with { ReadDispatcher = "one-thread-read-dispatcher" });
        var client = new WalClient(Sys, log);
        for (var i = 0; i < 50; i++)
        {
            await client.AppendAsync(Payload(i));
        }

        store.Threads.Clear(); // recovery read on the I/O dispatcher
        var viaSource = await WalSource.Tail(log, Lsn.Zero).Take(50).RunWith(Sink.Seq<WalRecord>(), Sys.Materializer());
        var viaClient = 0;
        await foreach (var _ in client.TailAsync(Lsn.Zero))
        {
            if (++viaClient == 50)
            {
                break;
            }
        }

        // The dispatcher has one thread: whatever runs on it runs there, and so did every read of both tails.
        var dispatcherThread = await Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher("one-thread-read-dispatcher"))
            .Ask<int>("which thread?", TimeSpan.FromSeconds(10));
        Assert.Equal(50, viaSource.Count);
        Assert.NotEmpty(store.Threads);
        Assert.All(store.Threads, thread => Assert.Equal(dispatcherThread, thread));
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => ReceiveAny(_ => Sender.Tell(Environment.CurrentManagedThreadId));
    }

    private sealed class ReadRecordingStore : IWalStore
    {
        private readonly MemStore _inner = new();

        public ConcurrentBag<int> Threads { get; } = [];

        public long Length => _inner.Length;

        public void WriteAt(long offset, ReadOnlySpan<byte> bytes) => _inner.WriteAt(offset, bytes);

        public int ReadAt(long offset, Span<byte> buffer)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            return _inner.ReadAt(offset, buffer);
        }

        public void Truncate(long length) => _inner.Truncate(length);

        public void Sync() => _inner.Sync();

        public void Dispose() => _inner.Dispose();
    }
}
