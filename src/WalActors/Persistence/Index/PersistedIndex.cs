using RocksDbSharp;

namespace WalActors.Persistence.Index;

/// <summary>
/// The journal's index on disk, in RocksDB: where every checkpointed event lies, by persistence id and sequence number,
/// by tag and in log order, with the ids' states and the checkpoint that says how far it covers. Thread-safe; reads after
/// <see cref="Dispose"/> throw <see cref="ObjectDisposedException"/>.
/// </summary>
/// <remarks>
/// RocksDB's own write-ahead log is off: the journal's log is the source of truth, and each checkpoint is one atomic
/// batch followed by a flush, so after a crash the index is exactly some earlier checkpoint, which the start-up scan
/// completes from the log. Nothing here is trusted before <see cref="JournalIndex"/> has checked the checkpoint against the log.
/// </remarks>
internal sealed class PersistedIndex : IDisposable
{
    /// <summary>Why <see cref="ReadCheckpoint"/> found nothing in an index that never had a checkpoint written.</summary>
    public const string NoCheckpoint = "it holds no checkpoint";

    // Held for the process's life: RocksDB's native calls use these options' handles, and a wrapper collected during a
    // call would free them under it.
    private static readonly WriteOptions NoWal = new WriteOptions().DisableWal(1);
    private static readonly FlushOptions WaitForFlush = new FlushOptions().SetWaitForFlush(true);
    private static readonly DbOptions Options = new DbOptions()
        .SetCreateIfMissing(true)
        .SetParanoidChecks(true)
        .SetMaxOpenFiles(256)
        .SetKeepLogFileNum(2)
        .SetMaxLogFileSize(1024 * 1024)
        .SetCompression(Compression.Lz4);

    private readonly ReaderWriterLockSlim _open = new();
    private readonly string _directory;
    private RocksDb _db;
    private bool _disposed;

    private PersistedIndex(string directory, RocksDb db)
    {
        _directory = directory;
        _db = db;
    }

    /// <summary>The directory the index lives in.</summary>
    public string Directory => _directory;

    /// <summary>
    /// Opens the index in <paramref name="directory"/>, creating it when missing. An index RocksDB cannot open (cut,
    /// deleted or corrupt files) is deleted and created empty; <paramref name="problem"/> then says why.
    /// </summary>
    public static PersistedIndex Open(string directory, out string? problem)
    {
        problem = null;
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            return new PersistedIndex(directory, OpenDb(directory));
        }
        catch (RocksDbException e)
        {
            problem = $"RocksDB cannot open it ({e.Message})";
            System.IO.Directory.Delete(directory, recursive: true);
            System.IO.Directory.CreateDirectory(directory);
            return new PersistedIndex(directory, OpenDb(directory));
        }
    }

    /// <summary>The checkpoint the index holds; null (with the reason) when it holds none, a torn one or one of another version.</summary>
    public IndexCheckpoint? ReadCheckpoint(out string? problem)
    {
        var bytes = WhileOpen(db => db.Get(IndexKeys.Checkpoint));
        if (bytes is null)
        {
            problem = NoCheckpoint;
            return null;
        }

        return IndexCheckpoint.Decode(bytes, out problem);
    }

    /// <summary>Empties the index (its checkpoint did not match the log): deleted and created again. Only while nothing reads it.</summary>
    public void Reset()
    {
        _open.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _db.Dispose();
            System.IO.Directory.Delete(_directory, recursive: true);
            System.IO.Directory.CreateDirectory(_directory);
            _db = OpenDb(_directory);
        }
        finally
        {
            _open.ExitWriteLock();
        }
    }

    /// <summary>Every numbered persistence id with its state, in number order.</summary>
    public List<(int Number, IdState State)> LoadIds()
    {
        var found = new List<(int, IdState)>();
        Scan(IndexKeys.IdPrefix, [IndexKeys.IdPrefix], (key, value) =>
        {
            found.Add((IndexKeys.Number(key), IdState.Decode(value)));
            return true;
        });
        return found;
    }

    /// <summary>Every numbered tag, in number order.</summary>
    public List<(int Number, string Name)> LoadTags()
    {
        var found = new List<(int, string)>();
        Scan(IndexKeys.TagPrefix, [IndexKeys.TagPrefix], (key, value) =>
        {
            found.Add((IndexKeys.Number(key), System.Text.Encoding.UTF8.GetString(value)));
            return true;
        });
        return found;
    }

    /// <summary>Writes one checkpoint atomically and waits until it is on disk.</summary>
    public void Write(CheckpointBatch checkpoint)
    {
        using var batch = new WriteBatch();

        // Keys and values built in place: a checkpoint after a rebuild writes hundreds of thousands of them.
        Span<byte> key = stackalloc byte[13];
        Span<byte> value = stackalloc byte[16];
        foreach (var (id, sequenceNr, lsn, length) in checkpoint.Events)
        {
            IndexKeys.WriteNumberAndPosition(key, IndexKeys.EventPrefix, id, sequenceNr);
            IndexKeys.WritePosition(value, lsn, length);
            batch.Put(key, value[..12]);
            IndexKeys.WriteAll(key, lsn);
            IndexKeys.WriteEventRef(value, id, sequenceNr, length);
            batch.Put(key[..9], value);
        }

        foreach (var (tag, lsn, id, sequenceNr, length) in checkpoint.Tagged)
        {
            IndexKeys.WriteNumberAndPosition(key, IndexKeys.TaggedPrefix, tag, lsn);
            IndexKeys.WriteEventRef(value, id, sequenceNr, length);
            batch.Put(key, value);
        }

        foreach (var (number, state, dropTo) in checkpoint.Ids)
        {
            batch.Put(IndexKeys.Id(number), state.Encode());
            if (dropTo > 0)
            {
                var from = IndexKeys.Event(number, 0);
                var to = IndexKeys.Event(number, dropTo + 1);
                batch.DeleteRange(from, (ulong)from.Length, to, (ulong)to.Length);
            }
        }

        // After the puts: a batch applies in order, and an event dropped since it was indexed must not come back.
        foreach (var (tag, fromLsn, toLsn) in checkpoint.Dropped)
        {
            var (from, to) = tag == DroppedRun.LogOrder
                ? (IndexKeys.All(fromLsn), IndexKeys.All(toLsn + 1))
                : (IndexKeys.Tagged(tag, fromLsn), IndexKeys.Tagged(tag, toLsn + 1));
            batch.DeleteRange(from, (ulong)from.Length, to, (ulong)to.Length);
        }

        foreach (var (number, name) in checkpoint.NewTags)
        {
            batch.Put(IndexKeys.Tag(number), System.Text.Encoding.UTF8.GetBytes(name));
        }

        batch.Put(IndexKeys.Checkpoint, checkpoint.Checkpoint.Encode());
        WhileOpen(db =>
        {
            db.Write(batch, NoWal);
            db.Flush(WaitForFlush);
            return true;
        });
    }

    /// <summary>
    /// Up to <paramref name="max"/> events of id <paramref name="id"/> from sequence number <paramref name="from"/> to
    /// <paramref name="to"/> with LSNs below <paramref name="below"/>, in sequence-number order, added to <paramref name="into"/>.
    /// </summary>
    public void EventsOf(int id, long from, long to, long below, long max, List<(long SequenceNr, long Lsn, int Length)> into)
    {
        var start = IndexKeys.Event(id, Math.Max(0, from));
        var end = to == long.MaxValue ? IndexKeys.Event(id + 1, 0) : IndexKeys.Event(id, to + 1);
        var taken = 0L;
        Scan(start, end, (key, value) =>
        {
            var (lsn, length) = IndexKeys.ReadPosition(value);
            if (lsn >= below)
            {
                // An id's events lie in LSN order too: none after this one is below either.
                return false;
            }

            into.Add((IndexKeys.LastNumber(key), lsn, length));
            return ++taken < max;
        });
    }

    /// <summary>
    /// Events tagged <paramref name="tag"/> (every event, when null) with LSNs in [<paramref name="from"/>,
    /// <paramref name="below"/>), in LSN order, handed to <paramref name="found"/> (LSN, id number, sequence number, frame
    /// length) until it returns false.
    /// </summary>
    public void EventsFrom(int? tag, long from, long below, Func<long, int, long, int, bool> found)
    {
        var start = tag is { } t ? IndexKeys.Tagged(t, Math.Max(0, from)) : IndexKeys.All(Math.Max(0, from));
        var end = tag is { } u ? IndexKeys.Tagged(u, below) : IndexKeys.All(below);
        Scan(start, end, (key, value) =>
        {
            var (id, sequenceNr, length) = IndexKeys.ReadEventRef(value);
            return found(IndexKeys.LastNumber(key), id, sequenceNr, length);
        });
    }

    /// <summary>The highest sequence number of id <paramref name="id"/> among its events below <paramref name="lsn"/> (0 when none).</summary>
    public long SequenceNrBelow(int id, long lsn) => WhileOpen(db =>
    {
        using var iterator = db.NewIterator();
        var first = IndexKeys.Event(id, 0);
        for (iterator.SeekForPrev(IndexKeys.Event(id, long.MaxValue)); iterator.Valid(); iterator.Prev())
        {
            var key = iterator.Key();
            if (key.AsSpan().SequenceCompareTo(first) < 0)
            {
                return 0;
            }

            if (IndexKeys.ReadPosition(iterator.Value()).Lsn < lsn)
            {
                return IndexKeys.LastNumber(key);
            }
        }

        return 0L;
    });

    public void Dispose()
    {
        _open.EnterWriteLock();
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                _db.Dispose();
            }
        }
        finally
        {
            _open.ExitWriteLock();
        }
    }

    private static RocksDb OpenDb(string directory) => RocksDb.Open(Options, directory);

    // Keys in [start, end), in order, until visit returns false.
    private void Scan(byte[] start, byte[] end, Func<byte[], byte[], bool> visit) => WhileOpen(db =>
    {
        var bounds = new ReadOptions().SetIterateUpperBound(end);
        using (var iterator = db.NewIterator(readOptions: bounds))
        {
            for (iterator.Seek(start); iterator.Valid(); iterator.Next())
            {
                if (!visit(iterator.Key(), iterator.Value()))
                {
                    break;
                }
            }
        }

        // The iterator reads the options' native bound, which the options free when collected: they must outlive it.
        GC.KeepAlive(bounds);
        return true;
    });

    private void Scan(byte prefix, byte[] start, Func<byte[], byte[], bool> visit) => Scan(start, IndexKeys.PrefixEnd(prefix), visit);

    private T WhileOpen<T>(Func<RocksDb, T> action)
    {
        _open.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return action(_db);
        }
        finally
        {
            _open.ExitReadLock();
        }
    }
}
