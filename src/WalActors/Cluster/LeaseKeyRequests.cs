using Etcdserverpb;
using Google.Protobuf;

namespace WalActors.Cluster;

/// <summary>
/// The etcd requests on a lease's key. Every write is a transaction guarded by a revision, so no owner can overwrite or
/// delete a holding it did not read: the key's create revision names one holding, its mod revision one version of it.
/// </summary>
internal static class LeaseKeyRequests
{
    /// <summary>
    /// Creates the key with <paramref name="value"/>, attached to <paramref name="leaseId"/> (0: to none, the key stays
    /// until deleted), if no key exists (create revision 0); otherwise reads the key as it is, in the same transaction,
    /// so the caller learns who holds it, or what was stored first.
    /// </summary>
    public static TxnRequest CreateIfAbsent(string key, string value, long leaseId)
    {
        var k = ByteString.CopyFromUtf8(key);
        return new TxnRequest
        {
            Compare = { new Compare { Key = k, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = k, Value = ByteString.CopyFromUtf8(value), Lease = leaseId } } },
            Failure = { new RequestOp { RequestRange = new RangeRequest { Key = k } } },
        };
    }

    /// <summary>Deletes the key if it is still the version read (mod revision <paramref name="modRevision"/>).</summary>
    public static TxnRequest DeleteIfModRevision(string key, long modRevision) =>
        DeleteIf(key, new Compare { Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = modRevision });

    /// <summary>Deletes the key if it is still the holding created at <paramref name="createRevision"/>.</summary>
    public static TxnRequest DeleteIfCreateRevision(string key, long createRevision) =>
        DeleteIf(key, new Compare { Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = createRevision });

    /// <summary>Reads the key.</summary>
    public static RangeRequest Get(string key) => new() { Key = ByteString.CopyFromUtf8(key) };

    /// <summary>Reads every key that starts with <paramref name="prefix"/>, in key order.</summary>
    /// <exception cref="ArgumentException">The prefix is empty (that would be the whole key space).</exception>
    public static RangeRequest Prefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var start = System.Text.Encoding.UTF8.GetBytes(prefix);
        // etcd's range end for a prefix: the prefix with its last byte below 0xff raised by one (the bytes after it dropped).
        var end = (byte[])start.Clone();
        var last = end.Length - 1;
        while (last >= 0 && end[last] == 0xff)
        {
            last--;
        }

        if (last < 0)
        {
            return new RangeRequest { Key = ByteString.CopyFrom(start), RangeEnd = ByteString.CopyFrom(new byte[] { 0 }) };
        }

        end[last]++;
        return new RangeRequest { Key = ByteString.CopyFrom(start), RangeEnd = ByteString.CopyFrom(end, 0, last + 1) };
    }

    private static TxnRequest DeleteIf(string key, Compare compare)
    {
        var k = ByteString.CopyFromUtf8(key);
        compare.Key = k;
        return new TxnRequest
        {
            Compare = { compare },
            Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = k } } },
        };
    }
}
