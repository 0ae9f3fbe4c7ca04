using System.Globalization;

namespace WalActors.Host.Output;

/// <summary>
/// A record as <c>dump</c> and <c>tail</c> both print it, so the same bytes look the same in both:
/// text <c>LSN TAB LENGTH TAB text|hex TAB PAYLOAD</c>, jsonl <c>{"lsn":0,"length":5,"payload":"aGVsbG8="}</c>.
/// </summary>
internal static class RecordLine
{
    public static string Of(WalRecord record, RecordFormat format) => Of(record.Lsn, record.Payload.Span, format);

    public static string Of(Lsn lsn, ReadOnlySpan<byte> payload, RecordFormat format)
    {
        if (format == RecordFormat.Jsonl)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{{\"lsn\":{lsn.Value},\"length\":{payload.Length},\"payload\":\"{Convert.ToBase64String(payload)}\"}}");
        }

        var (encoding, text) = PayloadText.Show(payload);
        return string.Create(CultureInfo.InvariantCulture, $"{lsn.Value}\t{payload.Length}\t{encoding}\t{text}");
    }
}
