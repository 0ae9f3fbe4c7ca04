using System.Text.RegularExpressions;
using WalActors.Benchmarks.Experiments.Native;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Benchmarks.WhatIf;

/// <summary>
/// Warms a live log's segments from outside the library: a thread that looks for segment files every few milliseconds
/// and, once for each, advises the kernel to read all of it (posix_fadvise WILLNEED in 4 MiB chunks, below the
/// device's read-ahead window, since one call over the whole file reads only that window). This emulates a precreation
/// thread warming each segment as it makes it, the stop-gap of docs/PERFORMANCE.md, on the real pipeline.
/// </summary>
/// <remarks>
/// A segment appears under its final name only once it is zero-filled and synced (it is made under a temporary name),
/// so a file seen is complete. The reads the warming causes are this thread's alone, read live from
/// /proc/self/task/ID/io whenever the bench samples the process's, so the bench can tell them from the write path's.
/// </remarks>
internal sealed partial class SegmentWarmer : IDisposable
{
    private const long Chunk = 4L * 1024 * 1024;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(5);
    private readonly string _directory;
    private readonly HashSet<string> _warmed = new(StringComparer.Ordinal);
    private readonly Thread _thread;
    private readonly TaskCompletionSource<string?> _threadId = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _startReadBytes = double.NaN;
    private volatile bool _stopping;

    public SegmentWarmer(string directory)
    {
        _directory = directory;
        _thread = new Thread(Run) { IsBackground = true, Name = "bench-segment-warmer" };
        _thread.Start();
    }

    /// <summary>Bytes this warmer has caused to be read from storage so far, read now (not when the warmer last looked).</summary>
    public double ReadBytes
    {
        get
        {
            var id = _threadId.Task.GetAwaiter().GetResult();
            var read = StorageTraffic.ThreadReadBytes(id) - Volatile.Read(ref _startReadBytes);
            return double.IsNaN(read) ? 0 : read;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    // WalActors names a segment by its 20-digit base offset with ".seg" (WalActors.Storage.SegmentFileNames).
    [GeneratedRegex(@"^\d{20}\.seg$")]
    private static partial Regex SegmentName();

    private void Run()
    {
        var id = StorageTraffic.CurrentThreadId();
        Volatile.Write(ref _startReadBytes, StorageTraffic.ThreadReadBytes(id));
        _threadId.SetResult(id);
        while (!_stopping)
        {
            if (Directory.Exists(_directory))
            {
                foreach (var path in Directory.EnumerateFiles(_directory))
                {
                    if (SegmentName().IsMatch(Path.GetFileName(path)) && _warmed.Add(path))
                    {
                        Warm(path);
                    }
                }
            }

            Thread.Sleep(Every);
        }
    }

    private static void Warm(string path)
    {
        try
        {
            using var file = RawFile.Open(path, Flags.ReadOnly);
            var size = new FileInfo(path).Length;
            for (long offset = 0; offset < size; offset += Chunk)
            {
                file.Advise(Flags.AdviseWillNeed, offset, Math.Min(Chunk, size - offset));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Retention may delete a segment between the listing and the open; there is nothing to warm then.
        }
    }
}
