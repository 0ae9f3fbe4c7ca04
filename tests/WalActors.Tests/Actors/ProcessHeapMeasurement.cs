namespace WalActors.Tests.Actors;

/// <summary>
/// Tests that bound the process's managed heap run alone: the heap is one for the whole process, and a test class
/// running beside them (a load of its own, tens of MiB live at a sample) would be measured as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessHeapMeasurement
{
    public const string Name = "process heap";
}
