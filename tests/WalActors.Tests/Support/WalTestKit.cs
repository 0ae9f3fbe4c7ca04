using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using WalActors.Storage;
using Xunit.Abstractions;

namespace WalActors.Tests.Support;

/// <summary>A TestKit with the library's defaults loaded and helpers to start logs over test stores.</summary>
public abstract class WalTestKit : TestKit
{
    private static readonly Config TestConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.test.single-expect-default = 10s
        """).WithFallback(WalConfig.Defaults);

    protected WalTestKit(ITestOutputHelper output)
        : base(TestConfig, output: output)
    {
    }

    /// <summary>A TestKit whose configuration starts from <paramref name="overrides"/> (HOCON), for example a quieter log level.</summary>
    protected WalTestKit(ITestOutputHelper output, string overrides)
        : base(ConfigurationFactory.ParseString(overrides).WithFallback(TestConfig), output: output)
    {
    }

    protected internal static WalOptions SmallLog(string directory = "unused") => new()
    {
        Directory = directory,
        SegmentSize = 64 * 1024,
        MaxRecordSize = 16 * 1024,
        MaxBatchSize = 64 * 1024,
        MaxUnsyncedBytes = 1024 * 1024,
        WriterBatchSize = 16 * 1024,
        ShutdownTimeout = TimeSpan.FromSeconds(20),
    };

    protected IActorRef StartLog(IWalStore store, WalOptions? options = null, string? name = null) =>
        WriteAheadLog.Start(Sys, options ?? SmallLog(), () => store, "test-store", name ?? "wal-" + Guid.NewGuid().ToString("N")[..8]);

    protected internal static byte[] Payload(int i) => System.Text.Encoding.UTF8.GetBytes($"record-{i:D6}");
}
