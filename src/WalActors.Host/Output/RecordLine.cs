using System.Globalization;

namespace WalActors.Host.Output;

/// <summary>
/// A record as <c>dump</c> and <c>tail</c> both print it, so the same bytes look the same in both:
/// text <c>LSN TAB LENGTH TAB text|hex TAB PAYLOAD</c>, jsonl <c>{"lsn":0,"length":5,"payload":"aGVsbG8="}</c>.
/// </summary>
internal static class RecordLine
{
    public static string Of(WalRecord record, RecordFormat format)
    {
        if (format == RecordFormat.Jsonl)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{{\"lsn\":{record.Lsn.Value},\"length\":{record.Payload.Length},\"payload\":\"{Convert.ToBase64String(record.Payload.Span)}\"}}");
        }

        var (encoding, text) = PayloadText.Show(record.Payload.Span);
        return string.Create(CultureInfo.InvariantCulture, $"{record.Lsn.Value}\t{record.Payload.Length}\t{encoding}\t{text}");
    }
}
