namespace WalActors.Tests.Crash;

/// <summary>What a power loss does to one write that no barrier covered.</summary>
internal enum WriteFate
{
    /// <summary>All of it reached the disk.</summary>
    Whole,

    /// <summary>None of it reached the disk.</summary>
    Lost,

    /// <summary>A prefix of any length reached the disk: the write was cut mid-way.</summary>
    Prefix,

    /// <summary>Each 512-byte sector it touches reached the disk or not, independently: writeback in any order.</summary>
    Sectors,
}
