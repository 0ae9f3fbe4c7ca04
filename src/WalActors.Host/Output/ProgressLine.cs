namespace WalActors.Host.Output;

/// <summary>
/// A live progress line on stderr, rewritten in place, only when stderr is a terminal: in a redirected log it would be
/// one long line of carriage returns, and nothing there reads it.
/// </summary>
internal sealed class ProgressLine(TextWriter error, bool enabled)
{
    private int _width;

    /// <summary>The progress line for this process's stderr: shown only on a terminal.</summary>
    public static ProgressLine ForStandardError() => new(Console.Error, enabled: !Console.IsErrorRedirected);

    public void Report(string line)
    {
        if (!enabled)
        {
            return;
        }

        var padded = line.PadRight(_width);
        _width = line.Length;
        error.Write($"\r{padded}");
    }

    /// <summary>Clears the line, so what is printed next starts on a clean line.</summary>
    public void Finish()
    {
        if (enabled && _width > 0)
        {
            error.Write($"\r{new string(' ', _width)}\r");
            _width = 0;
        }
    }
}
