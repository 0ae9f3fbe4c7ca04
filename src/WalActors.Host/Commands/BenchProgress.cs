namespace WalActors.Host.Commands;

/// <summary>
/// The live progress line on stderr: rewritten in place on a terminal; when stderr is a file or a pipe, only a change
/// of step is written, one line each, so logs stay readable.
/// </summary>
internal sealed class BenchProgress(TextWriter error, bool interactive)
{
    private string _lastStep = string.Empty;
    private int _width;

    public void Report(string line)
    {
        if (interactive)
        {
            var padded = line.PadRight(_width);
            _width = line.Length;
            error.Write($"\r{padded}");
            return;
        }

        // "[3/30] ideal 8p 128B: 123 appends/s" and "...: stopping" share the step before the colon.
        var step = line.Split(": ", 2)[0];
        if (step != _lastStep)
        {
            _lastStep = step;
            error.WriteLine(line);
        }
    }

    public void Finish()
    {
        if (interactive && _width > 0)
        {
            error.Write($"\r{new string(' ', _width)}\r");
        }
    }
}
