using System.Globalization;
using System.Text;
using WalActors.Storage;

namespace WalActors.Tests.Crash;

/// <summary>
/// A page cache over a durable image. A write lands in the cache; a barrier makes durable the writes that completed
/// before it began, once it returns. A power loss keeps the durable image and, for each write no returned barrier
/// covered, independently: all of it, none of it, a prefix of any length, or any subset of its 512-byte sectors. So
/// writes are both reordered (a later one survives, an earlier one does not) and torn.
/// </summary>
internal sealed class PageCacheModel : IDisposable
{
    public const int SectorSize = 512;

    private readonly MemStore _durable;
    private readonly MemStore _cache;
    private readonly List<PendingWrite> _pending = [];
    private readonly Dictionary<long, long> _barrierCovers = [];
    private long _completedWrites;
    private (long End, byte[] Body)? _recoveryPoint;

    public PageCacheModel(ReadOnlySpan<byte> image, (long End, byte[] Body)? recoveryPoint = null)
    {
        _durable = new MemStore(image);
        _cache = new MemStore(image);
        _recoveryPoint = recoveryPoint;
    }

    /// <summary>Writes no returned barrier has covered yet.</summary>
    public IReadOnlyList<PendingWrite> Pending => _pending;

    public void Apply(StoreEvent e)
    {
        switch (e.Kind)
        {
            case StoreEventKind.Write:
                Write(e.Offset, e.Bytes!);
                break;
            case StoreEventKind.BarrierBegan:
                _barrierCovers[e.Barrier] = _completedWrites;
                break;
            case StoreEventKind.BarrierEnded:
                EndBarrier(e.Barrier);
                break;
            case StoreEventKind.Truncate:
                Truncate(e.Offset);
                break;
            case StoreEventKind.RecoveryPoint:
                _recoveryPoint = (e.Offset, e.Bytes!);
                break;
        }
    }

    /// <summary>What a process crash leaves: the kernel outlives the process, so every completed write survives.</summary>
    public CrashImage ProcessCrash() => new(_cache.ToArray(), IsPowerLoss: false, "process crash: every completed write survives", _recoveryPoint);

    /// <summary>What losing the whole page cache leaves (LazyFS's model): the durable image, and not one unsynced byte.</summary>
    public CrashImage PageCacheLoss() => new(_durable.ToArray(), IsPowerLoss: true, "page cache lost: every unsynced write is gone", _recoveryPoint);

    /// <summary>What a power loss leaves, the fate of each unsynced write drawn from <paramref name="random"/>.</summary>
    public CrashImage PowerLoss(Random random)
    {
        var image = new MemStore(_durable.ToArray());
        var fates = new StringBuilder("power loss:");
        // Some crashes let almost everything through, some almost nothing.
        var survival = random.NextDouble();
        var extent = image.Length;
        foreach (var write in _pending)
        {
            var fate = Draw(random, survival);
            fates.Append(CultureInfo.InvariantCulture, $" #{write.Number}[{write.Offset},{write.End}) {fate}");
            switch (fate)
            {
                case WriteFate.Whole:
                    image.WriteAt(write.Offset, write.Bytes);
                    break;
                case WriteFate.Prefix:
                    var kept = random.Next(write.Bytes.Length);
                    image.WriteAt(write.Offset, write.Bytes.AsSpan(0, kept));
                    fates.Append(CultureInfo.InvariantCulture, $" {kept}B");
                    break;
                case WriteFate.Sectors:
                    fates.Append(' ');
                    WriteSomeSectors(image, write, random, fates);
                    break;
            }

            extent = Math.Max(extent, write.End);
        }

        if (extent > image.Length && random.Next(4) == 0)
        {
            // The file's new size reached the disk without (all of) its data: the missing bytes read as zeros.
            image.WriteAt(extent - 1, [0]);
            fates.Append(CultureInfo.InvariantCulture, $" size {extent}");
        }

        return new CrashImage(image.ToArray(), IsPowerLoss: true, fates.ToString(), _recoveryPoint);
    }

    private void Write(long offset, byte[] bytes)
    {
        _cache.WriteAt(offset, bytes);
        _pending.Add(new PendingWrite(_completedWrites++, offset, bytes));
    }

    private void EndBarrier(long barrier)
    {
        var covers = _barrierCovers[barrier];
        _barrierCovers.Remove(barrier);
        foreach (var write in _pending.Where(w => w.Number < covers))
        {
            _durable.WriteAt(write.Offset, write.Bytes);
        }

        _pending.RemoveAll(w => w.Number < covers);
    }

    // The store contract makes a truncation durable, and nothing written beyond the cut may come back.
    private void Truncate(long length)
    {
        _cache.Truncate(length);
        _durable.Truncate(length);
        if (_recoveryPoint?.End > length)
        {
            _recoveryPoint = null; // the store deletes it before it cuts below it
        }

        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            var write = _pending[i];
            if (write.Offset >= length)
            {
                _pending.RemoveAt(i);
            }
            else if (write.End > length)
            {
                _pending[i] = write with { Bytes = write.Bytes[..(int)(length - write.Offset)] };
            }
        }
    }

    private static WriteFate Draw(Random random, double survival)
    {
        var roll = random.NextDouble();
        return roll < 0.15 ? WriteFate.Prefix
            : roll < 0.30 ? WriteFate.Sectors
            : random.NextDouble() < survival ? WriteFate.Whole
            : WriteFate.Lost;
    }

    private static void WriteSomeSectors(MemStore image, PendingWrite write, Random random, StringBuilder fates)
    {
        var position = write.Offset;
        while (position < write.End)
        {
            var sectorEnd = Math.Min(write.End, (position / SectorSize + 1) * SectorSize);
            var survives = random.Next(2) == 0;
            fates.Append(survives ? '1' : '0');
            if (survives)
            {
                image.WriteAt(position, write.Bytes.AsSpan((int)(position - write.Offset), (int)(sectorEnd - position)));
            }

            position = sectorEnd;
        }
    }

    public void Dispose()
    {
        _durable.Dispose();
        _cache.Dispose();
    }
}
