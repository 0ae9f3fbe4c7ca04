using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using WalActors.Host.Bench.Disk;
using WalActors.Host.Bench.Measurement;
using WalActors.Host.Bench.OpenLoop;
using WalActors.Storage;

namespace WalActors.Host.Bench.Targets;

/// <summary>
/// The physical limit of group commit on this disk: producers enqueue, and one dedicated thread takes everything
/// waiting, writes it with one positioned write, issues one fdatasync, then completes those producers.
/// </summary>
/// <remarks>
/// <para>By default producers' continuations run on the thread pool, as with any log API that must not run its callers'
/// code on its I/O thread (WalClient's tasks, any other log's): that is the limit a real log can reach.</para>
/// <para>With <c>inlineContinuations</c> they run on the I/O thread itself: each completed producer records its latency and
/// enqueues its next append before the next write, so every barrier carries every producer, with no thread hop. No
/// real log can do that, but it shows the disk's own ceiling for this many producers.</para>
/// </remarks>
internal sealed class IdealTarget(string directory, bool inlineContinuations = true) : IBenchTarget, IOpenLoopTarget
{
    private const long FileSize = 64L * 1024 * 1024;
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private List<IIdealAppend> _incoming = new(256);
    private List<IIdealAppend> _taken = new(256);
    private byte[] _buffer = new byte[64 * 1024];
    private readonly string _path = Path.Combine(directory, "ideal.dat");
    private SafeFileHandle? _file;
    private Thread? _thread;
    private bool _sleeping;
    private bool _closed;
    private long _offset;
    private long _syncs;

    public Task OpenAsync()
    {
        _file = ZeroFilledFile.Create(_path, FileSize);
        _thread = new Thread(Run) { IsBackground = true, Name = "ideal-group-commit" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task RunProducersAsync(LoadRecorder recorder, ReadOnlyMemory<byte> payload) =>
        Task.WhenAll(Enumerable.Range(0, recorder.Producers).Select(p => Task.Run(() => ProduceAsync(recorder, p, payload))));

    public ValueTask<long> ReadSyncsAsync() => ValueTask.FromResult(Interlocked.Read(ref _syncs));

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed = true;
            _wake.Set();
        }

        _thread?.Join();
        _file?.Dispose();
        _wake.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ProduceAsync(LoadRecorder recorder, int producer, ReadOnlyMemory<byte> payload)
    {
        var waiter = new IdealWaiter(payload, inlineContinuations);
        while (!recorder.Stopping)
        {
            var start = Stopwatch.GetTimestamp();
            var completion = waiter.Arm();
            Enqueue(waiter);
            await completion;
            recorder.Completed(producer, start);
        }
    }

    public void Offer(ReadOnlyMemory<byte> payload, long scheduled, RateRecorder recorder) =>
        Enqueue(new IdealOffer(payload, scheduled, recorder, inlineContinuations));

    private void Enqueue(IIdealAppend append)
    {
        lock (_gate)
        {
            _incoming.Add(append);
            if (_sleeping)
            {
                _sleeping = false;
                _wake.Set();
            }
        }
    }

    private void Run()
    {
        var file = _file!;
        while (true)
        {
            lock (_gate)
            {
                if (_incoming.Count == 0)
                {
                    if (_closed)
                    {
                        return;
                    }

                    _sleeping = true;
                    _wake.Reset();
                }
                else
                {
                    (_incoming, _taken) = (_taken, _incoming);
                }
            }

            if (_taken.Count == 0)
            {
                _wake.Wait();
                continue;
            }

            try
            {
                WriteAndSync(file);
                foreach (var waiter in _taken)
                {
                    waiter.Complete();
                }
            }
            catch (Exception e)
            {
                foreach (var waiter in _taken)
                {
                    waiter.Fail(e);
                }
            }

            _taken.Clear();
        }
    }

    private void WriteAndSync(SafeFileHandle file)
    {
        var bytes = 0;
        foreach (var waiter in _taken)
        {
            bytes += waiter.Payload.Length;
        }

        if (_buffer.Length < bytes)
        {
            _buffer = new byte[Math.Max(bytes, _buffer.Length * 2)];
        }

        var position = 0;
        foreach (var waiter in _taken)
        {
            waiter.Payload.Span.CopyTo(_buffer.AsSpan(position));
            position += waiter.Payload.Length;
        }

        if (_offset + bytes > FileSize)
        {
            _offset = 0;
        }

        RandomAccess.Write(file, _buffer.AsSpan(0, bytes), _offset);
        _offset += bytes;
        DurabilityBarrier.Flush(file, _path);
        Interlocked.Increment(ref _syncs);
    }
}
