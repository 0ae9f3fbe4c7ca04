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
    /// <exception cref="FormatException">A line is longer than the limit given at construction.</exception>
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

            if (_end - _start > maxLineLength + 1)
            {
                throw new FormatException($"line {LineNumber + 1} is longer than the largest record, {maxLineLength} bytes (walactors.log.max-record-size)");
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
