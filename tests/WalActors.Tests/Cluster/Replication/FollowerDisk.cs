using WalActors.Storage;
using WalActors.Tests.Crash;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>
/// One follower's disk across power losses. Each life of its replica runs its log on a <see cref="PowerLossStore"/>
/// over what the last loss left; a loss replays that life through a <see cref="PageCacheModel"/>, which keeps what
/// returned barriers made durable and drops, keeps or tears the rest.
/// </summary>
internal sealed class FollowerDisk
{
    // A disk slow to sync lets the writer's batches pile up unsynced behind each barrier: more for a loss to take.
    private static readonly TimeSpan BarrierTime = TimeSpan.FromMilliseconds(1);

    private byte[] _image = [];
    private (long End, byte[] Body)? _recoveryPoint;
    private PowerLossStore? _store;

    /// <summary>The store of the current life.</summary>
    public PowerLossStore Store => _store ?? throw new InvalidOperationException("The disk has not been mounted.");

    /// <summary>The number of losses that took away or tore some write no barrier had covered.</summary>
    public int LossesThatTookData { get; private set; }

    /// <summary>Starts a life on what survived so far; the store is opened by the replica's log.</summary>
    public Func<IWalStore> Mount()
    {
        var store = new PowerLossStore(_image, powerOffAt: 0, BarrierTime, _recoveryPoint);
        _store = store;
        return () => store;
    }

    /// <summary>
    /// Cuts the power (if a chosen operation has not already) and keeps what survives: with
    /// <paramref name="wholePageCache"/> only what barriers covered, else each unsynced write's fate as the model draws it.
    /// </summary>
    /// <returns>What happened to the unsynced writes, for failure messages.</returns>
    public string LosePower(Random random, bool wholePageCache)
    {
        var store = Store;
        store.PowerOff();
        using var model = new PageCacheModel(_image, _recoveryPoint);
        foreach (var e in store.Events.Where(e => e.IsOperation))
        {
            model.Apply(e);
        }

        var unsynced = model.Pending.Count;
        var everything = model.ProcessCrash();
        var survived = wholePageCache ? model.PageCacheLoss() : model.PowerLoss(random);
        if (!survived.Bytes.AsSpan().SequenceEqual(everything.Bytes))
        {
            LossesThatTookData++;
        }

        (_image, _recoveryPoint, _store) = (survived.Bytes, survived.RecoveryPoint, null);
        return $"{unsynced} unsynced writes; {survived.Fates}";
    }

    /// <summary>Damages the surviving image at <paramref name="fraction"/> of its length: damage no torn tail explains.</summary>
    public void Damage(double fraction)
    {
        Assert.True(_store is null && _image.Length > 0, "only an unmounted disk that holds data can be damaged");
        _image[(int)(_image.Length * fraction)] ^= 0x5A;
    }
}
