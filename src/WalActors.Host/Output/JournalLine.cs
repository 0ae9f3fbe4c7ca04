using System.Globalization;
using System.Text.Json;
using WalActors.Persistence;

namespace WalActors.Host.Output;

/// <summary>
/// A journal record (the layout of <see cref="JournalRecordCodec"/>) as <c>dump --journal</c> and <c>tail --journal</c>
/// print it: persistence id, sequence number, tags, manifest, and the payload as text where the serializer wrote text
/// (JSON, strings), else hex. The payload is shown, not deserialized: the command has none of the application's types.
/// </summary>
/// <remarks>
/// Text, tab-separated: <c>LSN event PERSISTENCE_ID SEQUENCE_NR TAGS MANIFEST text|hex PAYLOAD</c> (tags comma-separated,
/// <c>-</c> for none or no manifest); <c>LSN delete PERSISTENCE_ID to=N highest=N</c>; <c>LSN unreadable PROBLEM</c> for a
/// record that is not in the journal's layout.
/// </remarks>
internal static class JournalLine
{
    public static string Of(WalRecord record, RecordFormat format)
    {
        try
        {
            return JournalRecordCodec.KindOf(record.Payload.Span) switch
            {
                JournalRecordKind.Event => Event(record.Lsn, JournalRecordCodec.DecodeEvent(record.Payload), format),
                _ => Delete(record.Lsn, JournalRecordCodec.DecodeTombstone(record.Payload.Span), format),
            };
        }
        catch (InvalidDataException e)
        {
            return format == RecordFormat.Jsonl
                ? JsonSerializer.Serialize(new { lsn = record.Lsn.Value, kind = "unreadable", problem = e.Message, length = record.Payload.Length, payload = Convert.ToBase64String(record.Payload.Span) })
                : $"{record.Lsn}\tunreadable\t{e.Message}";
        }
    }

    private static string Event(Lsn lsn, JournalEvent stored, RecordFormat format)
    {
        var (encoding, text) = PayloadText.Show(stored.Payload.Span);
        if (format == RecordFormat.Jsonl)
        {
            return JsonSerializer.Serialize(new
            {
                lsn = lsn.Value,
                kind = "event",
                persistence_id = stored.PersistenceId,
                sequence_nr = stored.SequenceNr,
                tags = stored.Tags,
                manifest = stored.SerializerManifest,
                event_manifest = stored.EventManifest,
                serializer_id = stored.SerializerId,
                writer_uuid = stored.WriterGuid,
                timestamp = new DateTime(stored.Timestamp, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
                length = stored.Payload.Length,
                payload = Convert.ToBase64String(stored.Payload.Span),
                text = encoding == "text" ? text : null,
            });
        }

        var tags = stored.Tags.Length == 0 ? "-" : string.Join(',', stored.Tags);
        var manifest = stored.SerializerManifest.Length == 0 ? "-" : stored.SerializerManifest;
        return string.Create(CultureInfo.InvariantCulture, $"{lsn}\tevent\t{stored.PersistenceId}\t{stored.SequenceNr}\t{tags}\t{manifest}\t{encoding}\t{text}");
    }

    private static string Delete(Lsn lsn, JournalTombstone tombstone, RecordFormat format) => format == RecordFormat.Jsonl
        ? JsonSerializer.Serialize(new { lsn = lsn.Value, kind = "delete", persistence_id = tombstone.PersistenceId, deleted_to = tombstone.DeletedTo, highest = tombstone.Highest })
        : string.Create(CultureInfo.InvariantCulture, $"{lsn}\tdelete\t{tombstone.PersistenceId}\tto={tombstone.DeletedTo}\thighest={tombstone.Highest}");
}
