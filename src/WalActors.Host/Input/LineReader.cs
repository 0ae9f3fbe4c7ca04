namespace WalActors.Host.Input;

/// <summary>
/// Splits a byte stream into lines at LF, dropping the LF and a CR just before it, without decoding: a line's bytes are
/// kept exactly as they came.
/// </summary>
internal sealed class LineReader(Stream input, int maxLineLength)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>How many lines have been returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line, or null at the end of the input. A last line without a newline is still a line.</summary>
    /// <exception cref="LineTooLongException">The next line is longer than the limit given at construction.</exception>
    public async ValueTask<byte[]?> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return Take(newline, 1);
            }

            if (_ended)
            {
                return _end > _start ? Take(_end - _start, 0) : null;
            }

            // Stop reading a line as soon as it is too long, rather than buffering all of it first.
            if (_end - _start > maxLineLength + 1)
            {
                throw new LineTooLongException(LineNumber + 1, maxLineLength);
            }

            MakeRoom();
            // A read from a terminal or pipe ignores cancellation; stop waiting for it instead (it is never used after).
            var read = await input.ReadAsync(_buffer.AsMemory(_end), cancellation).AsTask().WaitAsync(cancellation).ConfigureAwait(false);
            _ended = read == 0;
            _end += read;
        }
    }

    private byte[] Take(int length, int separator)
    {
        var line = _buffer.AsSpan(_start, length);
        if (separator > 0 && line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        // The limit holds for every line, however it arrived: a long line read in one piece never reaches the log,
        // which would refuse it while the lines after it were already on their way.
        if (line.Length > maxLineLength)
        {
            throw new LineTooLongException(LineNumber + 1, maxLineLength);
        }

        _start += length + separator;
        LineNumber++;
        return line.ToArray();
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }
}
