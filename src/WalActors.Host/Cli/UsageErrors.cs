using System.CommandLine;

namespace WalActors.Host.Cli;

/// <summary>
/// What a command line the parser refused prints: its first error and where the help is, in one line on stderr, exit
/// code 2. Never the help itself on stdout, where a pipe (<c>walactors dump --formt jsonl | jq</c>) would read it as output.
/// </summary>
internal static class UsageErrors
{
    public static int Report(ParseResult result)
    {
        var first = result.Errors[0].Message.TrimEnd();
        Console.Error.WriteLine($"walactors: error: {CommandFailure.OneLine(first)} {Hint(result)}");
        return ExitCodes.Usage;
    }

    /// <summary>"(see 'walactors dump --help')" for the command the user was running.</summary>
    public static string Hint(ParseResult result) => $"(see '{Path(result.CommandResult.Command)} --help')";

    private static string Path(Command command)
    {
        var names = new List<string> { command.Name };
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, parent.Name);
        }

        return string.Join(' ', names);
    }
}
