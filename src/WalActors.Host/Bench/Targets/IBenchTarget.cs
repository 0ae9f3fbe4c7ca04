using WalActors.Host.Bench.Measurement;

namespace WalActors.Host.Bench.Targets;

/// <summary>One system under test, opened fresh in its own directory for one scenario.</summary>
internal interface IBenchTarget : IAsyncDisposable
{
    /// <summary>Opens the system; when this completes, appends can start.</summary>
    Task OpenAsync();

    /// <summary>
    /// Starts <see cref="LoadRecorder.Producers"/> closed-loop producers, each awaiting every append as durable before its next,
    /// and completes once every producer has seen <see cref="LoadRecorder.Stopping"/> and its last append has completed.
    /// </summary>
    Task RunProducersAsync(LoadRecorder recorder, ReadOnlyMemory<byte> payload);

    /// <summary>How many durability barriers (fdatasync calls, or commits) the system has issued so far.</summary>
    ValueTask<long> ReadSyncsAsync();
}
