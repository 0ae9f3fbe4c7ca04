using System.Globalization;

namespace WalActors.Tests.Crash;

/// <summary>
/// Which scenarios a crash suite runs and how many crash points it checks, from the environment: a failure's seed
/// replays it, and a larger count turns the suite into a soak.
/// </summary>
/// <param name="ReplaySeed">The one scenario seed to run (again and again, until the count is reached), or null.</param>
/// <param name="BaseSeed">The first seed of a normal run; scenario i runs seed BaseSeed + i.</param>
/// <param name="TargetPoints">How many crash points to check at least.</param>
internal sealed record CrashSettings(int? ReplaySeed, int BaseSeed, long TargetPoints)
{
    public const string SeedVariable = "WALACTORS_CRASH_SEED";
    public const string PointsVariable = "WALACTORS_CRASH_POINTS";

    /// <summary>Whether enough scenarios run for the suite to insist on having seen torn writes and lost unsynced data.</summary>
    public bool ExpectsVariety => ReplaySeed is null && TargetPoints >= 1000;

    public static CrashSettings FromEnvironment(long defaultPoints)
    {
        var seed = Read(SeedVariable);
        var points = Read(PointsVariable);
        return new CrashSettings(
            seed is null ? null : (int)seed.Value,
            Random.Shared.Next(),
            points ?? (seed is null ? defaultPoints : 1));
    }

    public int SeedOf(int scenario) => ReplaySeed ?? unchecked(BaseSeed + scenario);

    public static string ReplayHint(int seed) => $"replay with {SeedVariable}={seed} (add {PointsVariable}=N to repeat it until N crash points are checked)";

    private static long? Read(string variable)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"{variable} must be an integer; got '{text}'.");
    }
}
