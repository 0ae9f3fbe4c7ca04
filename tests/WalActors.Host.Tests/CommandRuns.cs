namespace WalActors.Host.Tests;

/// <summary>Checks every test of the command makes of what it printed.</summary>
internal static class CommandRuns
{
    /// <summary>The lines of <paramref name="text"/>, empty ones dropped.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Exactly one line on stderr, walactors' error prefix, and no stack trace or Akka report anywhere.</summary>
    public static void AssertOneErrorLine(string stdout, string stderr, string contains)
    {
        Assert.True(Lines(stderr).Length == 1, $"expected one line on stderr, got:\n{stderr}");
        Assert.StartsWith("walactors: error:", stderr, StringComparison.Ordinal);
        Assert.Contains(contains, stderr, StringComparison.Ordinal);
        AssertNoStackTrace(stdout + stderr);
    }

    public static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", output, StringComparison.Ordinal);
    }
}
