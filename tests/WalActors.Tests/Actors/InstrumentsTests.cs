using System.Diagnostics.Metrics;
using WalActors.Tests.Support;
using Xunit.Abstractions;

namespace WalActors.Tests.Actors;

/// <summary>The log's System.Diagnostics.Metrics instruments report what it did, tagged with the log.</summary>
public sealed class InstrumentsTests(ITestOutputHelper output) : WalTestKit(output)
{
    [Fact]
    public async Task Appends_bytes_barriers_and_barrier_durations_are_measured_under_the_WalActors_meter()
    {
        // Other tests' logs publish on the same meter at the same time: only this log's tag counts.
        var description = "measured-" + Guid.NewGuid().ToString("N");
        var longs = new Dictionary<string, long>();
        var durations = new List<double>();
        var tags = new HashSet<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "WalActors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, measurementTags, _) =>
        {
            if (!IsThisLog(measurementTags, description))
            {
                return;
            }

            lock (longs)
            {
                longs[instrument.Name] = value;
                foreach (var tag in measurementTags)
                {
                    tags.Add($"{tag.Key}={tag.Value}");
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, measurementTags, _) =>
        {
            if (!IsThisLog(measurementTags, description))
            {
                return;
            }

            lock (durations)
            {
                durations.Add(value);
            }
        });
        listener.Start();

        var store = new InstrumentedStore();
        var client = new WalClient(Sys, WriteAheadLog.Start(Sys, SmallLog(), () => store, description, "measured"));
        for (var i = 0; i < 20; i++)
        {
            await client.AppendAsync(Payload(i));
        }

        listener.RecordObservableInstruments();

        lock (longs)
        {
            Assert.Equal(20, longs["walactors.log.appends"]);
            Assert.Equal(20 * Payload(0).Length, longs["walactors.log.bytes"]);
            Assert.True(longs["walactors.log.barriers"] >= 1);
            Assert.Equal(0, longs["walactors.log.pending_appends"]);
            Assert.True(longs["walactors.log.durable_end"] > 0);
            Assert.Contains($"walactors.log={description}", tags);
        }

        lock (durations)
        {
            Assert.NotEmpty(durations);
            Assert.All(durations, d => Assert.True(d >= 0));
        }
    }

    private static bool IsThisLog(ReadOnlySpan<KeyValuePair<string, object?>> tags, string description)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "walactors.log" && Equals(tag.Value, description))
            {
                return true;
            }
        }

        return false;
    }
}
