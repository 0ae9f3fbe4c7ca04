using Akka.Actor;
using Akka.Configuration;
using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Bench.Targets;

/// <summary>A WalActors log with its default settings in a fresh actor system; subclasses differ only in how producers append.</summary>
internal abstract class WalActorsTarget(string directory) : IBenchTarget
{
    // Akka's own log goes to stdout by default; the bench's stdout is the report, so Akka may only speak up for errors.
    private static readonly Config BenchConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = ERROR
        akka.stdout-loglevel = ERROR
        """);

    private ActorSystem? _system;

    protected ActorSystem System => _system ?? throw new InvalidOperationException("Not open.");

    protected WalClient Client { get; private set; } = null!;

    public async Task OpenAsync()
    {
        _system = ActorSystem.Create("walactors-bench", BenchConfig.WithFallback(WalConfig.Defaults));
        var log = WriteAheadLog.Start(_system, new WalOptions { Directory = Path.Combine(directory, "wal") });
        Client = new WalClient(_system, log);
        await Client.Ready.ConfigureAwait(false);
    }

    public abstract Task RunProducersAsync(LoadRecorder recorder, ReadOnlyMemory<byte> payload);

    public async ValueTask<long> ReadSyncsAsync() => (await Client.GetStatusAsync().ConfigureAwait(false)).Counters.Barriers;

    public async ValueTask DisposeAsync()
    {
        if (_system is null)
        {
            return;
        }

        await WriteAheadLog.StopAsync(Client.Log, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await _system.Terminate().ConfigureAwait(false);
    }
}
