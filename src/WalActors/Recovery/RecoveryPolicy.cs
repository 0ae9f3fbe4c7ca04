namespace WalActors;

/// <summary>What recovery does when it finds damage inside data that could have been acknowledged.</summary>
public enum RecoveryPolicy
{
    /// <summary>Refuse to open the log and leave it untouched (<see cref="LogDamagedException"/> names the LSN). The default.</summary>
    Strict = 0,

    /// <summary>Keep the valid prefix before the damage and drop everything after it, reporting the LSN.</summary>
    Salvage = 1,
}
