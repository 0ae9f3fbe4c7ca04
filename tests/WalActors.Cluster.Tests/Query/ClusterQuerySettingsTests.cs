using Akka.Configuration;
using WalActors.Cluster.Query;

namespace WalActors.Cluster.Tests.Query;

/// <summary>The read journal's settings: the shipped defaults, and a setting out of range refused naming its key.</summary>
public sealed class ClusterQuerySettingsTests
{
    [Fact]
    public void An_empty_section_keeps_the_shipped_defaults()
    {
        var settings = ClusterQuerySettings.From(Config.Empty);

        Assert.Equal(new ClusterQuerySettings(TimeSpan.FromSeconds(1), 256, TimeSpan.FromSeconds(5), 4096), settings);
    }

    [Theory]
    [InlineData("refresh-interval = 0s", "refresh-interval")]
    [InlineData("page-size = 0", "page-size")]
    [InlineData("timeout = 0s", "timeout")]
    [InlineData("max-ledgers = 0", "max-ledgers")]
    public void A_setting_out_of_range_is_refused_naming_its_key(string hocon, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => ClusterQuerySettings.From(ConfigurationFactory.ParseString(hocon)));

        Assert.Contains($"walactors.cluster.query.{key}", error.Message, StringComparison.Ordinal);
    }
}
