using System.Text;

namespace WalActors.Host.Output;

/// <summary>How the commands show a payload in text: as text when it is printable UTF-8 (no control characters, tabs and newlines included), else as hex.</summary>
internal static class PayloadText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns ("text", the text) or ("hex", lowercase hex digits).</summary>
    public static (string Encoding, string Text) Show(ReadOnlySpan<byte> payload)
    {
        try
        {
            var text = Strict.GetString(payload);
            if (!text.Any(char.IsControl))
            {
                return ("text", text);
            }
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: shown as hex below.
        }

        return ("hex", Convert.ToHexStringLower(payload));
    }
}
