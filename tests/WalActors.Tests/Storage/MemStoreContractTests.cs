using WalActors.Storage;

namespace WalActors.Tests.Storage;

public sealed class MemStoreContractTests : StoreContractTests
{
    protected override bool DropsPrefixes => false;

    protected override IWalStore OpenStore() => new MemStore();

    // Memory has no separate durable tier: "reopening" is recovering from the bytes it holds.
    protected override IWalStore Reopen(IWalStore store) => new MemStore(((MemStore)store).ToArray());
}
