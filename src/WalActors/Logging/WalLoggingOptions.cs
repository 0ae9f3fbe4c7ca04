using Akka.Configuration;

namespace WalActors.Logging;

/// <summary>The settings of <see cref="WalLogger"/>, read from HOCON <c>walactors.logging</c>.</summary>
public sealed record WalLoggingOptions
{
    /// <summary>The HOCON path of the logger's settings.</summary>
    public const string ConfigPath = "walactors.logging";

    /// <summary>The directory under which each node keeps its log, in a folder named after the node.</summary>
    public string Directory { get; init; } = "wal-logs";

    /// <summary>Written (the default: survives a process crash, costs no barrier) or Durable.</summary>
    public Durability Durability { get; init; } = Durability.Written;

    /// <summary>Segment size of the node's log.</summary>
    public long SegmentSize { get; init; } = 16L * 1024 * 1024;

    /// <summary>Keep at most about this many bytes of log events, dropping the oldest segments.</summary>
    public long RetentionMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>These options as HOCON at <see cref="ConfigPath"/>.</summary>
    internal Config ToConfig() => ConfigurationFactory.ParseString($$"""
        {{ConfigPath}} {
          directory = {{System.Text.Json.JsonSerializer.Serialize(Directory)}}
          durability = {{(Durability == Durability.Written ? "written" : "durable")}}
          segment-size = {{SegmentSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
          retention-max-bytes = {{RetentionMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
        }
        """);

    /// <summary>Reads the options from <paramref name="config"/> (the system's configuration).</summary>
    public static WalLoggingOptions FromConfig(Config config)
    {
        var own = config.HasPath(ConfigPath) ? config.GetConfig(ConfigPath) : Config.Empty;
        var section = own.WithFallback(WalConfig.Defaults.GetConfig(ConfigPath));
        var durability = section.GetString("durability");
        return new WalLoggingOptions
        {
            Directory = section.GetString("directory"),
            Durability = durability switch
            {
                "written" => Durability.Written,
                "durable" => Durability.Durable,
                _ => throw new ArgumentException($"{ConfigPath}.durability must be written or durable; got '{durability}'.", nameof(config)),
            },
            SegmentSize = section.GetByteSize("segment-size") ?? 16L * 1024 * 1024,
            RetentionMaxBytes = section.GetByteSize("retention-max-bytes") ?? 0,
        };
    }
}
