using Akka.Configuration;

namespace WalActors;

/// <summary>The library's HOCON defaults (hocon/reference.conf, embedded).</summary>
public static class WalConfig
{
    private static readonly Lazy<Config> Reference = new(Load);

    /// <summary>The whole <c>walactors</c> reference configuration.</summary>
    public static Config Defaults => Reference.Value;

    private static Config Load()
    {
        using var stream = typeof(WalConfig).Assembly.GetManifestResourceStream("WalActors.reference.conf")
            ?? throw new InvalidOperationException("The embedded reference.conf is missing from the WalActors assembly.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
