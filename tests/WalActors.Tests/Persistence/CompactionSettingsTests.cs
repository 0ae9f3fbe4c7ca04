using Akka.Configuration;
using WalActors.Persistence.Compaction;

namespace WalActors.Tests.Persistence;

public sealed class CompactionSettingsTests
{
    [Fact]
    public void A_pass_is_paced_at_32_MiB_a_second_unless_the_plugin_says_otherwise()
    {
        Assert.Equal(32L * 1024 * 1024, CompactionSettings.From(ConfigurationFactory.Empty, "p").RateBytesPerSecond);
        Assert.Equal(8L * 1024 * 1024, CompactionSettings.From(ConfigurationFactory.ParseString("compaction.rate-bytes-per-sec = 8 MiB"), "p").RateBytesPerSecond);
        Assert.Equal(0, CompactionSettings.From(ConfigurationFactory.ParseString("compaction.rate-bytes-per-sec = 0"), "p").RateBytesPerSecond);
    }

    [Fact]
    public void A_negative_rate_is_refused_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() => CompactionSettings.From(ConfigurationFactory.ParseString("compaction.rate-bytes-per-sec = -1"), "my.journal"));
        Assert.Contains("my.journal.compaction.rate-bytes-per-sec", error.Message, StringComparison.Ordinal);
    }
}
