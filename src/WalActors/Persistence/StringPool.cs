using System.Text;

namespace WalActors.Persistence;

/// <summary>
/// Turns UTF-8 bytes into strings, one instance per distinct value: a log of a million events names a few thousand
/// persistence ids and tags, so the index holds each once. Not thread-safe; one pool per scan.
/// </summary>
internal sealed class StringPool
{
    private const int StackLimit = 256;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Get(ReadOnlySpan<byte> utf8)
    {
        var buffer = utf8.Length <= StackLimit ? stackalloc char[StackLimit] : new char[Encoding.UTF8.GetMaxCharCount(utf8.Length)];
        var chars = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var existing))
        {
            return existing;
        }

        var value = new string(chars);
        _strings.Add(value, value);
        return value;
    }
}
