using System.Text;
using WalActors.Tests.Support;
using static WalActors.Host.Tests.CommandRuns;

namespace WalActors.Host.Tests;

public sealed class AppendCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task It_stops_at_the_first_line_over_the_record_limit_and_appends_nothing_after_it()
    {
        // Line 2 is one byte over the limit and arrives whole, newline included, before line 3.
        var input = Encoding.UTF8.GetBytes("short\n" + new string('x', 1024 * 1024 + 1) + "\nafter\n");

        var (exit, stdout, stderr) = await WalactorsProcess.RunAsync(WalactorsProcess.StartInfo(_directory.Path, "append", "--dir", LogPath), Patience, input);
        var (_, dump, _) = WalactorsProcess.Run(_directory.Path, "dump", "--dir", LogPath);

        Assert.Equal(2, exit);
        Assert.Equal(["1 0"], Lines(stdout));
        var errors = Lines(stderr).Where(l => !l.StartsWith("walactors: recovered", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["walactors: error: line 2 is longer than the largest record, 1,048,576 bytes (walactors.log.max-record-size)"], errors);
        Assert.Equal(["0\t5\ttext\tshort"], Lines(dump));
    }
}
