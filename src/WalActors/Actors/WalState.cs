namespace WalActors;

/// <summary>Where a log is in its life.</summary>
public enum WalState
{
    /// <summary>Opening and running recovery; appends are held until it ends.</summary>
    Recovering = 0,

    /// <summary>Accepting appends.</summary>
    Ready = 1,

    /// <summary>A write or barrier failed, or recovery refused the log: every append fails until the log is reopened.</summary>
    Faulted = 2,

    /// <summary>Shut down, or shutting down: appends fail with <see cref="WalStoppedException"/>.</summary>
    Stopped = 3,
}
