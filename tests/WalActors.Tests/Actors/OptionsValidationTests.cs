using Akka.Actor;
using Akka.Configuration;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

public sealed class OptionsValidationTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Theory]
    [InlineData("max-unsynced-bytes = 9223372036854775807", "walactors.log.max-unsynced-bytes")]
    [InlineData("max-unsynced-bytes = 2 GiB", "walactors.log.max-unsynced-bytes")]
    [InlineData("segment-size = 1 TiB", "walactors.log.segment-size")]
    [InlineData("max-batch-size = 40 MiB", "walactors.log.max-unsynced-bytes")]
    [InlineData("max-pending-bytes = 20 GiB", "walactors.log.max-pending-bytes")]
    [InlineData("retention.max-bytes = 9223372036854775807", "walactors.log.retention.max-bytes")]
    [InlineData("segment-size = lots", "walactors.log.segment-size")]
    [InlineData("writers = two", "walactors.log.writers")]
    [InlineData("readers = 0", "walactors.log.readers")]
    [InlineData("readers = 65", "walactors.log.readers")]
    [InlineData("sync-interval = soon", "walactors.log.sync-interval")]
    [InlineData("max-pending-appends = many", "walactors.log.max-pending-appends")]
    [InlineData("sync-mode = sometimes", "walactors.log.sync-mode")]
    public void Values_that_cannot_work_are_refused_naming_the_key(string hocon, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => WalOptions.FromConfig(ConfigurationFactory.ParseString(hocon)));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Values_set_in_code_are_checked_too_undefined_enum_values_included()
    {
        var defaults = new WalOptions();
        Assert.Contains("sync-mode", Assert.Throws<ArgumentException>(() => (defaults with { SyncMode = (SyncMode)42 }).Validate()).Message);
        Assert.Contains("recovery-policy", Assert.Throws<ArgumentException>(() => (defaults with { RecoveryPolicy = (RecoveryPolicy)42 }).Validate()).Message);
        Assert.Contains("max-unsynced-bytes", Assert.Throws<ArgumentException>(() => (defaults with { MaxUnsyncedBytes = long.MaxValue }).Validate()).Message);
        defaults.Validate();
    }

    [Theory]
    [InlineData("io-dispatcher")]
    [InlineData("read-dispatcher")]
    public void An_unknown_dispatcher_is_refused_at_start_naming_the_key_instead_of_the_log_never_becoming_ready(string key)
    {
        var options = key == "io-dispatcher" ? SmallLog() with { IoDispatcher = "no-such-dispatcher" } : SmallLog() with { ReadDispatcher = "no-such-dispatcher" };
        var error = Assert.Throws<ArgumentException>(() => StartLog(new InstrumentedStore(), options));
        Assert.Contains($"walactors.log.{key}", error.Message);
        Assert.Contains("no-such-dispatcher", error.Message);
    }

    [Fact]
    public void An_append_with_an_undefined_durability_is_refused_and_nothing_is_written()
    {
        var store = new InstrumentedStore();
        var log = StartLog(store);
        log.Tell(new Append(Payload(1), (Durability)7, "bad"));
        var failed = ExpectMsg<AppendFailed>();
        Assert.IsType<InvalidAppendException>(failed.Reason);
        Assert.Equal("bad", failed.CorrelationId);
        log.Tell(new AppendBatch([Payload(1)], (Durability)9, "bad batch"));
        Assert.IsType<InvalidAppendException>(ExpectMsg<AppendFailed>().Reason);

        log.Tell(new Append(Payload(2), CorrelationId: "good"));
        var good = ExpectMsg<Appended>();
        Assert.Equal("good", good.CorrelationId);
        Assert.Equal(Lsn.Zero, good.Lsn); // the refused ones took no space
    }
}
