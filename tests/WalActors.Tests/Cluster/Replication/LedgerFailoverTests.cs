using System.Text;
using WalActors.Cluster.Replication;
using Xunit.Abstractions;

namespace WalActors.Tests.Cluster.Replication;

/// <summary>
/// A history check over a run of failovers: owners take over in turn (each with a higher epoch, the old one still
/// writing), followers stop and come back, and after every takeover each acknowledged write is at the position it was
/// acknowledged at, and no entry appears twice.
/// </summary>
public sealed class LedgerFailoverTests(ReplicationNodes nodes, ITestOutputHelper output) : IClassFixture<ReplicationNodes>
{
    // Generous: no step of the run waits it out (a stopped follower is never needed for a quorum), it only bounds a
    // step that fails, and a loaded 2-core CI machine once took over 5 s for one recovery read.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_acknowledged_write_keeps_its_position_through_a_run_of_failovers()
    {
        const int Failovers = 9;
        var ledger = "failover-" + Guid.NewGuid().ToString("N")[..8];
        await nodes.StartReplicas(ledger, owner: 0);
        var random = new Random(15);
        var acknowledged = new Dictionary<long, string>();
        var writers = new List<ReplicatedLedger>();
        var racing = new List<(string Text, Task<long> Append)>();
        var stopped = -1;
        for (var epoch = 1; epoch <= Failovers; epoch++)
        {
            var owner = epoch % 3;
            if (stopped == owner)
            {
                nodes.StartReplica(stopped, ledger);
                stopped = -1;
            }

            // The previous owner is still writing while this one fences and recovers.
            if (writers.Count > 0)
            {
                racing.AddRange(Enumerable.Range(0, 5).Select(i => Write(writers[^1], $"e{epoch - 1}-late-{i}")));
            }

            var writer = await ReplicatedLedger.OpenAsync(nodes.Systems[owner], await Options(ledger, owner, epoch));
            writers.Add(writer);
            await Settle(racing, acknowledged);
            Check(await writer.ReadAsync(0, 10_000), acknowledged);

            var writes = new List<(string, Task<long>)>();
            for (var i = 0; i < 20; i++)
            {
                writes.Add(Write(writer, $"e{epoch}-{i}"));
                if (i == 10 && stopped < 0 && random.Next(2) == 0)
                {
                    // A follower (never the owner) goes away mid-write; it comes back later and is caught up.
                    stopped = (owner + 1 + random.Next(2)) % 3;
                    await nodes.StopReplica(stopped, ledger);
                }
                else if (i == 15 && stopped >= 0 && random.Next(2) == 0)
                {
                    nodes.StartReplica(stopped, ledger);
                    stopped = -1;
                }
            }

            await Settle(writes, acknowledged);
        }

        output.WriteLine($"{Failovers} failovers, {acknowledged.Count} acknowledged writes checked");
        Assert.True(acknowledged.Count >= Failovers * 10, $"only {acknowledged.Count} writes were acknowledged");
        foreach (var writer in writers)
        {
            await writer.StopAsync();
        }
    }

    private async Task<ReplicatedLedgerOptions> Options(string ledger, int owner, long epoch)
    {
        var copies = new[] { owner, (owner + 1) % 3, (owner + 2) % 3 }.Select(n => nodes.PathTo(owner, n, ledger)).ToList();
        copies[0] = await nodes.Resolve(owner, owner, ledger);
        return new ReplicatedLedgerOptions(ledger, epoch, copies[0], [.. copies.Skip(1)], 2, Timeout);
    }

    private static (string Text, Task<long> Append) Write(ReplicatedLedger writer, string text) =>
        (text, writer.AppendAsync([Encoding.UTF8.GetBytes(text)]));

    /// <summary>Waits for every write; records the acknowledged ones at their positions (a refused or timed-out one may or may not be in the ledger).</summary>
    private static async Task Settle(List<(string Text, Task<long> Append)> writes, Dictionary<long, string> acknowledged)
    {
        foreach (var (text, append) in writes)
        {
            try
            {
                Assert.True(acknowledged.TryAdd(await append, text), $"{text} acknowledged at a position already acknowledged");
            }
            catch (LedgerFencedException)
            {
            }
            catch (LedgerQuorumException)
            {
            }
        }

        writes.Clear();
    }

    private static void Check(IReadOnlyList<LedgerEntry> ledger, Dictionary<long, string> acknowledged)
    {
        var texts = ledger.Select(e => Encoding.UTF8.GetString(e.Payload)).ToList();
        Assert.Equal(texts.Count, texts.Distinct().Count());
        foreach (var (position, text) in acknowledged)
        {
            Assert.True(position < texts.Count && texts[(int)position] == text, $"{text}, acknowledged at {position}, is not there");
        }
    }
}
