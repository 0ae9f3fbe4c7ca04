namespace WalActors.Cluster.Tests;

/// <summary>
/// A fact that runs only when the environment variable <see cref="Variable"/> is "1", and otherwise is reported as
/// skipped with <see cref="Reason"/>: for a suite that is not yet reliable enough for every CI run, so that it stays
/// one command away and its skip is visible in every run rather than silently gone.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OptInFactAttribute : FactAttribute
{
    public OptInFactAttribute(string variable, string reason)
    {
        Variable = variable;
        Reason = reason;
        if (Environment.GetEnvironmentVariable(variable) != "1")
        {
            Skip = $"{reason} Run it with {variable}=1.";
        }
    }

    public string Variable { get; }

    public string Reason { get; }
}
