using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Storage;

public sealed class FileStoreContractTests : StoreContractTests
{
    private readonly TempDirectory _directory = new();

    protected override bool DropsPrefixes => false;

    protected override IWalStore OpenStore() => FileStore.Open(_directory.Combine("log.wal"));

    protected override IWalStore Reopen(IWalStore store)
    {
        store.Dispose();
        return FileStore.Open(_directory.Combine("log.wal"));
    }

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}
