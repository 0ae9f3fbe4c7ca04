namespace WalActors.Tests.Crash;

/// <summary>What a crash suite has checked, so a run can show (and insist) that the crashes really tore and lost data.</summary>
internal sealed class CrashTally
{
    public int Scenarios { get; set; }

    /// <summary>Lives of a log: each ends in a crash.</summary>
    public int Lives { get; set; }

    /// <summary>Lives in which the power went off while the log was still working (rather than after its last answer).</summary>
    public int CrashedMidWork { get; set; }

    /// <summary>Moments in an execution at which a crash was simulated.</summary>
    public long CrashPoints { get; set; }

    /// <summary>Crash images recovered and judged (several per crash point).</summary>
    public long Images { get; set; }

    /// <summary>Images whose recovery cut off a torn tail.</summary>
    public long TornTails { get; set; }

    /// <summary>Acknowledgements checked against an image.</summary>
    public long AcknowledgementsChecked { get; set; }

    /// <summary>Written-level acknowledgements a power loss took away: allowed, and proof the power loss bites.</summary>
    public long WrittenLostToPowerLoss { get; set; }

    /// <summary>Images whose recovery started from the recovery point the crash left (and agreed with a scan from the head).</summary>
    public long FromRecoveryPoint { get; set; }

    public override string ToString() =>
        $"{Scenarios} scenarios, {Lives} log lives ({CrashedMidWork} crashed mid-work), {CrashPoints} crash points, " +
        $"{Images} crash images, {TornTails} with a torn tail, {AcknowledgementsChecked} acknowledgements checked, " +
        $"{WrittenLostToPowerLoss} Written-only acknowledgements lost to power loss (allowed), {FromRecoveryPoint} recovered from a recovery point";
}
