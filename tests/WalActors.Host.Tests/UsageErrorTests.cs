using WalActors.Tests.Support;
using static WalActors.Host.Tests.CommandRuns;

namespace WalActors.Host.Tests;

/// <summary>A command line the command cannot use: exit 2, one line and where the help is on stderr, nothing on stdout.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogPath => _directory.Combine("log");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("'--formt'", "dump", "--formt", "jsonl", "--dir", "x")]
    [InlineData("'--dir' is required", "dump")]
    [InlineData("'--dir' is required", "verify", "--json")]
    [InlineData("'xml' is not valid for --format: use one of text, jsonl", "dump", "--dir", "x", "--format", "xml")]
    [InlineData("'abc' is not valid for --seconds", "demo", "--seconds", "abc")]
    [InlineData("'0' is not valid for --producers", "demo", "--producers", "0")]
    [InlineData("'99999999999' is not valid for --payload", "demo", "--payload", "99999999999")]
    [InlineData("'sometimes' is not valid for --durability", "append", "--dir", "x", "--durability", "sometimes")]
    [InlineData("'loud' is not valid for --level", "tail", "--dir", "x", "--level", "loud")]
    [InlineData("'-1' is not a valid LSN for --from", "dump", "--dir", "x", "--from", "-1")]
    [InlineData("'-1' is not a valid LSN for --from", "tail", "--dir", "x", "--from", "-1")]
    [InlineData("cannot be combined with --journal", "tail", "--dir", "x", "--level", "info", "--journal")]
    [InlineData("Unknown system 'nosuch'", "bench", "--quick", "--systems", "nosuch")]
    [InlineData("'nosuch'", "nosuch")]
    public void Is_exit_2_with_one_line_and_a_hint_and_never_the_help_on_stdout(string says, params string[] args)
    {
        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, args);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        AssertOneErrorLine(stdout, stderr, says);
        var command = args[0].StartsWith('-') || args[0] == "nosuch" ? "walactors" : $"walactors {args[0]}";
        Assert.EndsWith($"(see '{command} --help')", stderr.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_048_577)]
    [InlineData(2_000_000_000)]
    public void A_demo_payload_over_the_record_limit_is_a_usage_error_naming_the_setting(int payload)
    {
        var (exit, stdout, stderr) = WalactorsProcess.Run(_directory.Path, "demo", "--dir", LogPath, "--payload", payload.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, exit);
        AssertOneErrorLine(stdout, stderr, "walactors.log.max-record-size");
        Assert.False(Directory.Exists(LogPath), "nothing is created for a demo that cannot run");
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("tail")]
    [InlineData("dump")]
    [InlineData("append")]
    [InlineData("bench")]
    public void Every_command_has_help_with_its_details_and_examples(string command)
    {
        var (exit, stdout, _) = WalactorsProcess.Run(_directory.Path, command, "--help");

        Assert.Equal(0, exit);
        Assert.Contains($"Usage:\n  walactors {command} [options]", stdout, StringComparison.Ordinal);
        Assert.Contains("Example", stdout, StringComparison.Ordinal);
        Assert.Contains($"walactors {command}", stdout[stdout.IndexOf("Example", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }
}
