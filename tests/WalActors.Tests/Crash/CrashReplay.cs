namespace WalActors.Tests.Crash;

/// <summary>Replays what a <see cref="PowerLossStore"/> recorded through a <see cref="PageCacheModel"/>, stopping at every crash point.</summary>
internal static class CrashReplay
{
    /// <summary>
    /// Calls <paramref name="atCrashPoint"/> before each operation and once after the last, with the page cache as it
    /// stood and every acknowledgement the client had seen by then: what a power loss at that moment would face.
    /// </summary>
    /// <returns>The number of crash points visited.</returns>
    public static int Run(
        byte[] image, IReadOnlyList<StoreEvent> events, Action<int, PageCacheModel, IReadOnlyList<Acknowledgement>> atCrashPoint,
        (long End, byte[] Body)? recoveryPoint = null)
    {
        var model = new PageCacheModel(image, recoveryPoint);
        var seen = new List<Acknowledgement>();
        var point = 0;
        foreach (var e in events)
        {
            if (!e.IsOperation)
            {
                seen.Add(e.Acknowledgement!);
                continue;
            }

            atCrashPoint(point++, model, seen);
            model.Apply(e);
        }

        atCrashPoint(point, model, seen);
        return point + 1;
    }
}
