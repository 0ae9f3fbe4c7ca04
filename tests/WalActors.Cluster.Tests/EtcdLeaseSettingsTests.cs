using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;

namespace WalActors.Cluster.Tests;

/// <summary>Bad settings fail when the lease is created, naming the key; no etcd is needed to find them.</summary>
public sealed class EtcdLeaseSettingsTests : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("lease-settings", "akka.loglevel = WARNING");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _system.Terminate();

    [Theory]
    [InlineData("endpoints = []", "endpoints")]
    [InlineData("endpoints = [\"https://127.0.0.1:2379\"]", "endpoints")]
    [InlineData("endpoints = [\"127.0.0.1\"]", "endpoints")]
    [InlineData("lease-operation-timeout = 0s", "lease-operation-timeout")]
    public void A_bad_setting_is_refused_naming_its_key(string setting, string key)
    {
        var config = ConfigurationFactory.ParseString(setting).WithFallback(WalCluster.DefaultConfig().GetConfig(WalCluster.LeaseConfigPath));
        var settings = LeaseSettings.Create(config, "shard-1", "node-a");

        var error = Assert.Throws<ConfigurationException>(() => new EtcdLease(settings, (ExtendedActorSystem)_system));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_heartbeat_interval_not_shorter_than_the_ttl_is_refused()
    {
        // Akka's own TimeoutSettings.Create refuses this from HOCON; a lease made in code is checked too.
        var config = WalCluster.DefaultConfig().GetConfig(WalCluster.LeaseConfigPath);
        var timeouts = new TimeoutSettings(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
        var settings = new LeaseSettings("shard-1", "node-a", timeouts, config);

        var error = Assert.Throws<ConfigurationException>(() => new EtcdLease(settings, (ExtendedActorSystem)_system));

        Assert.Contains("heartbeat-interval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_defaults_name_the_lease_class_and_the_timeouts()
    {
        var config = WalCluster.DefaultConfig().GetConfig(WalCluster.LeaseConfigPath);

        Assert.Equal(typeof(EtcdLease), Type.GetType(config.GetString("lease-class"), throwOnError: true));
        var timeouts = TimeoutSettings.Create(config);
        Assert.True(timeouts.HeartbeatInterval < timeouts.HeartbeatTimeout);
        Assert.Equal(["http://127.0.0.1:2379"], config.GetStringList("endpoints"));
    }
}
