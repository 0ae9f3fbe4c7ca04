using System.Text;
using System.Threading.Channels;

namespace WalActors.Host.Output;

/// <summary>
/// Prints acknowledgements on standard output as they arrive, flushing after each burst, so a reader of the pipe sees
/// an acknowledgement as soon as the log gives it, and a burst costs one write.
/// </summary>
internal sealed class AcknowledgementPrinter : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Stream _output;
    private readonly Task _printing;

    public AcknowledgementPrinter(Stream output)
    {
        _output = output;
        _printing = Task.Run(PrintAsync);
    }

    public void Print(string line) => _lines.Writer.TryWrite(line);

    /// <summary>Prints what is still queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _printing.ConfigureAwait(false);
    }

    private async Task PrintAsync()
    {
        var buffer = new StringBuilder();
        while (await _lines.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            buffer.Clear();
            while (_lines.Reader.TryRead(out var line))
            {
                buffer.Append(line).Append('\n');
            }

            var bytes = Encoding.UTF8.GetBytes(buffer.ToString());
            await _output.WriteAsync(bytes).ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }
    }
}
