namespace WalActors.Actors.Internal;

/// <summary>The log closed cleanly at <paramref name="End"/> (its close marker included): store the recovery point there, then answer.</summary>
internal sealed record SealRecoveryPoint(long End);

/// <summary>The answer to <see cref="SealRecoveryPoint"/>, whether or not a recovery point could be stored.</summary>
internal sealed class RecoveryPointSealed
{
    public static readonly RecoveryPointSealed Instance = new();

    private RecoveryPointSealed()
    {
    }
}
