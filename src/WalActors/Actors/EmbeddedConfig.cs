using Akka.Configuration;

namespace WalActors.Actors;

/// <summary>Reads one of the HOCON files embedded in the library (hocon/*.conf, named <c>WalActors.FILE</c>).</summary>
internal static class EmbeddedConfig
{
    /// <summary>The parsed contents of the embedded <paramref name="file"/> (e.g. <c>persistence.conf</c>).</summary>
    /// <exception cref="InvalidOperationException">The assembly was built without it.</exception>
    public static Config Load(string file)
    {
        using var stream = typeof(EmbeddedConfig).Assembly.GetManifestResourceStream("WalActors." + file)
            ?? throw new InvalidOperationException($"The embedded {file} is missing from the WalActors assembly.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
