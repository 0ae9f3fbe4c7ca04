using System.Threading.Channels;

namespace WalActors.ClusterNode;

/// <summary>Stdin's lines as a channel that completes when stdin closes: the node's start can wait on both at once.</summary>
internal static class StdinLines
{
    public static ChannelReader<string> Read(TextReader input)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = Task.Run(async () =>
        {
            while (await input.ReadLineAsync() is { } line)
            {
                await lines.Writer.WriteAsync(line);
            }

            lines.Writer.Complete();
        });
        return lines.Reader;
    }
}
