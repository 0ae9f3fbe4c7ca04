namespace WalActors.Actors.Internal;

/// <summary>
/// Issue a barrier; every byte before <paramref name="Target"/> has been written. When <paramref name="LingerUntil"/> lies
/// beyond the target, the sync actor may first wait briefly for the written prefix to reach it (the producers the last
/// barrier answered, coming back) and cover those writes too: group commit under load.
/// </summary>
internal sealed record BarrierRequest(long Target, long LingerUntil = 0);

/// <summary>The barrier returned: every byte before <paramref name="Target"/> (at least the requested target) is durable.</summary>
internal sealed record BarrierCompleted(long Target);

/// <summary>The barrier failed; the data it covered must be presumed lost, and is never acknowledged.</summary>
internal sealed record BarrierFailed(long Target, WalException Reason);

/// <summary>
/// Closing cleanly, with everything before <paramref name="End"/> durable: write the close marker there and sync it, so the
/// next open knows the whole log was durable and can call any invalid byte in it damage.
/// </summary>
internal sealed record SealRequest(long End);

/// <summary>The close marker is durable; the log now ends at <paramref name="End"/>.</summary>
internal sealed record Sealed(long End);

/// <summary>Shutting down: answer <see cref="Drained"/> once everything written is durable and answered.</summary>
internal sealed class Drain
{
    public static readonly Drain Instance = new();

    private Drain()
    {
    }
}

/// <summary>Everything written has been answered, a last barrier covered it and the close marker is durable (unless the log is faulted).</summary>
internal sealed class Drained
{
    public static readonly Drained Instance = new();

    private Drained()
    {
    }
}

/// <summary>Sent by the durability actor to the facade and the sequencer when the log faults.</summary>
internal sealed record LogFaulted(WalException Reason);
