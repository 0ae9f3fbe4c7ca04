using System.Globalization;
using WalActors.CrashTests.Support;
using WalActors.Tests.Support;

namespace WalActors.CrashTests.Commands;

public sealed class AppendCommandTests : LogDirectoryTest
{
    [Fact]
    public async Task Each_line_becomes_one_record_of_its_exact_bytes_and_each_acknowledgement_names_its_line_and_lsn()
    {
        byte[][] lines = [[.. "plain"u8], [.. "crlf"u8], [], [.. "tab\there ✓"u8], [0xFF, 0x00, 0xFE], [.. "no newline at the end"u8]];
        var input = lines.SelectMany((line, i) => i switch
        {
            1 => [.. line, (byte)'\r', (byte)'\n'],
            5 => line,
            _ => line.Append((byte)'\n'),
        }).ToArray();

        var (exitCode, acknowledged, error) = await AppendRawAsync(input);

        Assert.True(exitCode == 0, error);
        Assert.Equal(Enumerable.Range(1, lines.Length).Select(i => (long)i), acknowledged.Select(a => a.Line).Order());
        var (_, records, _) = await Dump.RunAsync(LogPath);
        Assert.Equal(acknowledged.OrderBy(a => a.Line).Select(a => a.Lsn), records.Select(r => r.Lsn));
        Assert.Equal(lines.Select(Convert.ToHexString), records.Select(r => Convert.ToHexString(r.Payload)));
    }

    [Fact]
    public async Task A_second_append_on_a_log_in_use_fails_with_one_clear_line_and_exit_code_4()
    {
        using var first = AppendProcess.Start(LogPath, "durable");
        var feeding = first.FeedAsync(["held open"], endInput: false, new Random(1));
        await first.WaitForAcknowledgementsAsync(1, Patience);

        var (exitCode, acknowledged, error) = await AppendRawAsync("refused\n"u8.ToArray());

        Assert.Equal(4, exitCode);
        Assert.Empty(acknowledged);
        Assert.Contains("in use", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        await feeding;
    }

    [Fact]
    public async Task A_line_longer_than_the_largest_record_ends_the_command_after_the_lines_before_it_are_acknowledged()
    {
        var input = "short\n"u8.ToArray().Concat(Enumerable.Repeat((byte)'x', 1024 * 1024 + 10)).Append((byte)'\n').ToArray();

        var (exitCode, acknowledged, error) = await AppendRawAsync(input);

        Assert.Equal(2, exitCode);
        Assert.Equal(1, Assert.Single(acknowledged).Line);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Contains("max-record-size", error, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>walactors append</c> on exactly these bytes of input; returns its exit code, acknowledgements and errors.</summary>
    private async Task<(int ExitCode, List<(long Line, long Lsn)> Acknowledged, string Error)> AppendRawAsync(byte[] input)
    {
        var (exitCode, output, error) = await WalactorsProcess.RunAsync(WalactorsProcess.StartInfo(null, "append", "--dir", LogPath), Patience, input);
        var acknowledged = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(fields => (long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture)))
            .ToList();
        var errors = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(e => !e.StartsWith("walactors: recovered", StringComparison.Ordinal));
        return (exitCode, acknowledged, string.Join('\n', errors));
    }
}
