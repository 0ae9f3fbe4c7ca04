using System.Diagnostics;
using WalActors.Host.Bench.Targets;

namespace WalActors.Host.Bench.Measurement;

/// <summary>The process-wide counters of one measured window: wall time, barriers, allocation, CPU and storage traffic.</summary>
internal sealed class MeasuredWindow
{
    private readonly IBenchTarget _target;
    private readonly long _syncs;
    private readonly long _allocated;
    private readonly TimeSpan _cpu;
    private readonly StorageTraffic _storage;
    private readonly double _background;
    private readonly Stopwatch _clock;

    private MeasuredWindow(IBenchTarget target, long syncs)
    {
        _target = target;
        _syncs = syncs;
        _allocated = GC.GetTotalAllocatedBytes(precise: false);
        _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        _storage = StorageTraffic.Sample();
        _background = BackgroundReads(target);
        _clock = Stopwatch.StartNew();
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public static async Task<MeasuredWindow> StartAsync(IBenchTarget target) =>
        new(target, await target.ReadSyncsAsync().ConfigureAwait(false));

    /// <summary>The counters' growth since the window started; call once, as soon as the window ends.</summary>
    public async Task<WindowCounters> EndAsync()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - _allocated;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpu;
        var storage = StorageTraffic.Sample() - _storage;
        var background = BackgroundReads(_target) - _background;
        var syncs = await _target.ReadSyncsAsync().ConfigureAwait(false) - _syncs;
        return new WindowCounters(seconds, syncs, allocated, cpu.TotalSeconds, storage, background);
    }

    private static double BackgroundReads(IBenchTarget target) => target is IBackgroundReads reads ? reads.BackgroundReadBytes : 0;
}

/// <summary>What one measured window counted; <paramref name="BackgroundReadBytes"/> is the part of the storage reads a system made off its write path.</summary>
internal sealed record WindowCounters(double Seconds, long Syncs, long AllocatedBytes, double CpuSeconds, StorageTraffic Storage, double BackgroundReadBytes);
