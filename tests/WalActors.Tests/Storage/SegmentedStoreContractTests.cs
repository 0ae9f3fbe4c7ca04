using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Storage;

public sealed class SegmentedStoreContractTests : StoreContractTests
{
    // Small segments so that every test crosses several boundaries.
    private static readonly SegmentedStoreOptions Options = new() { SegmentSize = 4096 };
    private readonly TempDirectory _directory = new();

    protected override bool DropsPrefixes => true;

    protected override long PrefixGranularity => Options.SegmentSize;

    protected override IWalStore OpenStore() => SegmentedStore.Open(_directory.Combine("log"), Options);

    // A reopened segmented store starts at the end of its preallocated space; recovery finds the real end.
    protected override IWalStore Reopen(IWalStore store)
    {
        store.Dispose();
        return SegmentedStore.Open(_directory.Combine("log"), Options);
    }

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}
