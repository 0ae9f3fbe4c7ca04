using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using WalActors.Host.Bench.Disk;
using WalActors.Host.Bench.Measurement;
using WalActors.Storage;

namespace WalActors.Host.Bench.Targets;

/// <summary>
/// The raw baseline: every append is one positioned write and one fdatasync, issued by its own producer thread on a
/// zero-filled file. No batching; concurrent producers overlap only as far as the kernel overlaps their barriers.
/// </summary>
internal sealed class FdatasyncTarget(string directory) : IBenchTarget
{
    private const long FileSize = 64L * 1024 * 1024;
    private readonly string _path = Path.Combine(directory, "fdatasync.dat");
    private SafeFileHandle? _file;
    private long _next;
    private long _syncs;

    public Task OpenAsync()
    {
        _file = ZeroFilledFile.Create(_path, FileSize);
        return Task.CompletedTask;
    }

    public Task RunProducersAsync(LoadRecorder recorder, ReadOnlyMemory<byte> payload)
    {
        var file = _file ?? throw new InvalidOperationException("Not open.");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = recorder.Producers;
        for (var p = 0; p < recorder.Producers; p++)
        {
            var producer = p;
            var thread = new Thread(() =>
            {
                try
                {
                    Produce(file, recorder, producer, payload);
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }

                if (Interlocked.Decrement(ref running) == 0)
                {
                    done.TrySetResult();
                }
            })
            {
                IsBackground = true,
                Name = $"fdatasync-producer-{producer}",
            };
            thread.Start();
        }

        return done.Task;
    }

    public ValueTask<long> ReadSyncsAsync() => ValueTask.FromResult(Interlocked.Read(ref _syncs));

    public ValueTask DisposeAsync()
    {
        _file?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Produce(SafeFileHandle file, LoadRecorder recorder, int producer, ReadOnlyMemory<byte> payload)
    {
        var size = payload.Length;
        while (!recorder.Stopping)
        {
            var start = Stopwatch.GetTimestamp();
            var offset = (Interlocked.Add(ref _next, size) - size) % (FileSize - size);
            RandomAccess.Write(file, payload.Span, offset);
            DurabilityBarrier.Flush(file, _path);
            Interlocked.Increment(ref _syncs);
            recorder.Completed(producer, start);
        }
    }
}
