using Akka.Actor;
using WalActors.Recovery;
using WalActors.Tests.Support;

namespace WalActors.Tests.Actors;

public sealed class RecoveryActorTests
{
    [Fact]
    public async Task Terminating_the_system_while_the_log_recovers_releases_its_lock_so_the_log_opens_again()
    {
        using var directory = new TempDirectory();
        var options = new WalOptions { Directory = directory.Combine("log"), SegmentSize = 64 * 1024 };
        using var entered = new ManualResetEventSlim(false);
        using var gate = new ManualResetEventSlim(false);
        var system = ActorSystem.Create("recovering", WalConfig.Defaults);
        WriteAheadLog.Start(system, options, () =>
        {
            entered.Set();
            gate.Wait();
            return LogOpener.OpenStore(options.Directory, options.SegmentSize);
        }, options.Directory, "wal");
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));

        // The system goes down while recovery is opening the store: the facade never adopts what recovery hands over.
        var terminated = system.Terminate();
        gate.Set();
        await terminated.WaitAsync(TimeSpan.FromSeconds(20));

        using var reopened = LogOpener.OpenStore(options.Directory, options.SegmentSize); // LogInUseException if the lock or a handle leaked
        Assert.Equal(0, reopened.Head);
    }
}
