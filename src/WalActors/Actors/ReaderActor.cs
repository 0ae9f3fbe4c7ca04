using Akka.Actor;
using WalActors.Actors.Internal;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Actors;

/// <summary>Serves <see cref="Read"/> requests with positioned reads, on the I/O dispatcher so writers are never delayed.</summary>
internal sealed class ReaderActor : ReceiveActor
{
    private const int MaxReadBuffer = 1024 * 1024;

    public ReaderActor(IWalStore store, int maxRecordSize, IActorRef log)
    {
        Receive<ReadRequest>(request =>
        {
            object reply;
            try
            {
                reply = Serve(store, maxRecordSize, request.Read, request.End);
            }
            catch (WalException e)
            {
                reply = new Status.Failure(e);
            }
            catch (ObjectDisposedException)
            {
                reply = new Status.Failure(new WalStoppedException());
            }

            request.ReplyTo.Tell(reply, log);
        });
    }

    public static Props Props(IWalStore store, int maxRecordSize, IActorRef log, string dispatcher) =>
        Akka.Actor.Props.Create(() => new ReaderActor(store, maxRecordSize, log)).WithDispatcher(dispatcher);

    private static ReadResult Serve(IWalStore store, int maxRecordSize, Read read, long end)
    {
        var from = read.From.Value;
        var head = store.Head;
        if (from < head)
        {
            throw new LogTruncatedException(from, head);
        }

        if (from > end)
        {
            throw new InvalidLsnException(from, $"it is beyond the readable end of the log, LSN {end}");
        }

        var records = new List<WalRecord>(Math.Min(read.MaxRecords, 1024));
        var bufferSize = (int)Math.Clamp(end - from, FrameCodec.HeaderSize, MaxReadBuffer);
        // A read of a record or two (a journal replaying one actor's events among others') must not read a megabyte for
        // them: start from a size the request suggests and let longer reads grow.
        var initialReadSize = (int)Math.Min(bufferSize, Math.Max(4096L, read.MaxRecords * 256L));
        using var reader = new CompleteRecordReader(store, from, end, maxRecordSize, bufferSize, initialReadSize);
        while (records.Count < read.MaxRecords)
        {
            var status = reader.Next(out var record);
            if (status == ScanStatus.Record)
            {
                records.Add(new WalRecord(new Lsn(record.Lsn), record.Payload.ToArray(), new Lsn(record.End)));
                continue;
            }

            if (status == ScanStatus.Invalid && records.Count == 0)
            {
                throw new InvalidLsnException(from, "no valid record starts there");
            }

            break;
        }

        return new ReadResult(records, new Lsn(reader.Position));
    }
}
