using Akka.Actor;
using Akka.Coordination;
using WalActors.Cluster.Journal;
using WalActors.Cluster.Tests.Etcd;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>
/// A ledger's ensemble is fixed in etcd by its first claim and never changes, whatever later claims propose; the list of
/// ledgers (for the read journal) is every claimed one under the store's prefix.
/// </summary>
public sealed class LedgerEnsembleStoreTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    private static readonly Address A = Address.Parse("akka.tcp://sys@127.0.0.1:4001");
    private static readonly Address B = Address.Parse("akka.tcp://sys@127.0.0.1:4002");
    private static readonly Address C = Address.Parse("akka.tcp://sys@127.0.0.1:4003");
    private static readonly Address D = Address.Parse("akka.tcp://sys@127.0.0.1:4004");

    [Fact]
    public async Task The_first_claim_fixes_the_ensemble_and_every_later_claim_or_read_gets_it_back()
    {
        await using var first = LeaseSystem.Create(etcd.Server.Endpoint, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        await using var second = LeaseSystem.Create(etcd.Server.Endpoint, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        var prefix = $"tests/{Guid.NewGuid():N}/ledgers/";
        var writer = LedgerEnsembleStore.For(first.System, WalCluster.LeaseConfigPath, prefix);
        var later = LedgerEnsembleStore.For(second.System, WalCluster.LeaseConfigPath, prefix);

        Assert.Null(await later.ReadAsync("orders+1"));
        Assert.Equal([A, B, C], await writer.ClaimAsync("orders+1", [A, B, C]));

        // Another node taking the shard over proposes itself and others: the stored ensemble stands.
        Assert.Equal([A, B, C], await later.ClaimAsync("orders+1", [D, B, C]));
        Assert.Equal([A, B, C], await later.ReadAsync("orders+1"));
        Assert.Equal([D, C, B], await later.ClaimAsync("orders+2", [D, C, B]));
    }

    [Fact]
    public async Task The_list_has_every_ledger_under_the_prefix_with_its_ensemble_in_ledger_order_and_no_other_keys()
    {
        await using var system = LeaseSystem.Create(etcd.Server.Endpoint, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        var root = $"tests/{Guid.NewGuid():N}/";
        var store = LedgerEnsembleStore.For(system.System, WalCluster.LeaseConfigPath, root + "ledgers/");
        var neighbour = LedgerEnsembleStore.For(system.System, WalCluster.LeaseConfigPath, root + "ledgers-other/");
        Assert.Empty(await store.ListAsync());

        await store.ClaimAsync("orders+2", [B, C, A]);
        await store.ClaimAsync("orders+1", [A, B, C]);
        await neighbour.ClaimAsync("orders+3", [D, A, B]);

        var listed = await store.ListAsync();
        Assert.Equal(["orders+1", "orders+2"], listed.Select(l => l.Ledger));
        Assert.Equal([A, B, C], listed[0].Ensemble);
        Assert.Equal([B, C, A], listed[1].Ensemble);
        // A ledger claimed later is in the next list.
        await store.ClaimAsync("orders+10", [C, A, B]);
        Assert.Equal(["orders+1", "orders+10", "orders+2"], (await store.ListAsync()).Select(l => l.Ledger));
    }

    [Fact]
    public async Task Etcd_not_answering_is_a_typed_timeout_not_a_wait()
    {
        await using var system = LeaseSystem.Create("http://127.0.0.1:1", TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var store = LedgerEnsembleStore.For(system.System, WalCluster.LeaseConfigPath, "tests/unreachable/");

        await Assert.ThrowsAsync<LeaseTimeoutException>(() => store.ClaimAsync("orders+1", [A, B, C]).WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<LeaseTimeoutException>(() => store.ReadAsync("orders+1").WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<LeaseTimeoutException>(() => store.ListAsync().WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
