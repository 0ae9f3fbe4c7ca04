namespace WalActors.Tests.Logging;

/// <summary>Tests that capture the process's standard error run alone: it is one stream for the whole process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StandardErrorCapture
{
    public const string Name = "console";
}
