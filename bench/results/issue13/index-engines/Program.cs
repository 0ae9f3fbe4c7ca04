using System.Buffers.Binary;
using System.Diagnostics;
using LightningDB;
using RocksDbSharp;

// Index engine evaluation for issue 13: (persistence id, sequence number) -> LSN, N events over P ids, written in
// journal-sized batches (1,000 per transaction/batch, ids interleaved as a journal's log has them), then: reopen time,
// the range read of one id's 1,000 entries (a replay's lookup), disk size, process RSS.
var events = int.Parse(args.Length > 0 ? args[0] : "2000000");
var ids = int.Parse(args.Length > 1 ? args[1] : "2000");
var engine = args.Length > 2 ? args[2] : "lmdb";
var root = Path.Combine(Path.GetTempPath(), "idxeval-" + engine + "-" + Guid.NewGuid().ToString("N")[..6]);
Directory.CreateDirectory(root);
var perId = events / ids;
Console.WriteLine($"{engine}: {events:N0} events over {ids:N0} ids; RSS at start {Rss()} MiB");

static byte[] Key(int id, long seq)
{
    var key = new byte[12];
    BinaryPrimitives.WriteInt32BigEndian(key, id);
    BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(4), seq);
    return key;
}

static long Rss() => Environment.WorkingSet / 1048576;

long DirBytes() => Directory.GetFiles(root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

var write = Stopwatch.StartNew();
var lsn = 0L;
var lookups = new List<double>();
if (engine == "lmdb")
{
    using (var env = new LightningEnvironment(root) { MapSize = 8L << 30 })
    {
        env.Open(EnvironmentOpenFlags.NoSync | EnvironmentOpenFlags.NoMetaSync);
        for (var batch = 0; batch < events / 1000; batch++)
        {
            using var tx = env.BeginTransaction();
            using var db = tx.OpenDatabase(configuration: new DatabaseConfiguration { Flags = DatabaseOpenFlags.Create });
            for (var i = 0; i < 1000; i++)
            {
                var n = batch * 1000 + i;
                var value = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(value, lsn += 83);
                tx.Put(db, Key(n % ids, n / ids + 1), value);
            }

            tx.Commit();
        }

        env.Flush(true);
    }

    Console.WriteLine($"  write {write.Elapsed.TotalSeconds:F1} s ({events / write.Elapsed.TotalSeconds:N0}/s); disk {DirBytes() / 1048576:N0} MiB; RSS {Rss()} MiB");
    var open = Stopwatch.StartNew();
    using var reopened = new LightningEnvironment(root) { MapSize = 8L << 30 };
    reopened.Open(EnvironmentOpenFlags.NoSync | EnvironmentOpenFlags.ReadOnly);
    Console.WriteLine($"  reopen {open.Elapsed.TotalMilliseconds:F1} ms");
    var random = new Random(1);
    for (var r = 0; r < 2000; r++)
    {
        var id = random.Next(ids);
        var clock = Stopwatch.StartNew();
        using var tx = reopened.BeginTransaction(TransactionBeginFlags.ReadOnly);
        using var db = tx.OpenDatabase();
        using var cursor = tx.CreateCursor(db);
        var count = 0;
        var result = cursor.SetRange(Key(id, 1));
        while (result == MDBResultCode.Success)
        {
            var (_, k, _) = cursor.GetCurrent();
            if (BinaryPrimitives.ReadInt32BigEndian(k.AsSpan()) != id)
            {
                break;
            }

            count++;
            (result, _, _) = cursor.Next();
        }

        lookups.Add(clock.Elapsed.TotalMilliseconds);
        if (count != perId)
        {
            throw new InvalidOperationException($"{count} entries for id {id}");
        }
    }
}
else
{
    var options = new DbOptions().SetCreateIfMissing(true);
    var noWal = new WriteOptions().DisableWal(1);
    using (var db = RocksDb.Open(options, root))
    {
        for (var batch = 0; batch < events / 1000; batch++)
        {
            using var wb = new WriteBatch();
            for (var i = 0; i < 1000; i++)
            {
                var n = batch * 1000 + i;
                var value = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(value, lsn += 83);
                wb.Put(Key(n % ids, n / ids + 1), value);
            }

            db.Write(wb, noWal);
        }

        db.Flush(new FlushOptions().SetWaitForFlush(true));
    }

    Console.WriteLine($"  write {write.Elapsed.TotalSeconds:F1} s ({events / write.Elapsed.TotalSeconds:N0}/s); disk {DirBytes() / 1048576:N0} MiB; RSS {Rss()} MiB");
    var open = Stopwatch.StartNew();
    using var reopened = RocksDb.Open(options, root);
    Console.WriteLine($"  reopen {open.Elapsed.TotalMilliseconds:F1} ms");
    var random = new Random(1);
    for (var r = 0; r < 2000; r++)
    {
        var id = random.Next(ids);
        var clock = Stopwatch.StartNew();
        using var iterator = reopened.NewIterator();
        var count = 0;
        for (iterator.Seek(Key(id, 1)); iterator.Valid(); iterator.Next())
        {
            if (BinaryPrimitives.ReadInt32BigEndian(iterator.Key()) != id)
            {
                break;
            }

            count++;
        }

        lookups.Add(clock.Elapsed.TotalMilliseconds);
        if (count != perId)
        {
            throw new InvalidOperationException($"{count} entries for id {id}");
        }
    }
}

lookups.Sort();
Console.WriteLine($"  range read of one id's {perId:N0} entries: p50 {lookups[lookups.Count / 2]:F3} ms, p99 {lookups[(int)(lookups.Count * 0.99)]:F3} ms; RSS {Rss()} MiB");
Directory.Delete(root, recursive: true);
