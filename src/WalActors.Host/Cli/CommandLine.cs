using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace WalActors.Host.Cli;

/// <summary>Parses and runs a command tree the walactors way: detailed help, one-line usage errors, exit codes from <see cref="ExitCodes"/>.</summary>
internal static class CommandLine
{
    /// <summary>Runs <paramref name="root"/> (the walactors command, or the peer benchmark's) on <paramref name="args"/>.</summary>
    public static int Run(Command root, string[] args)
    {
        var help = root.Options.OfType<HelpOption>().FirstOrDefault();
        if (help is null)
        {
            help = new HelpOption();
            root.Options.Add(help);
        }

        // Every subcommand answers --help too, with its own details.
        help.Recursive = true;
        help.Action = new DetailedHelpAction(help.Action as HelpAction ?? new HelpAction());
        if (!root.Options.OfType<VersionOption>().Any())
        {
            root.Options.Add(new VersionOption());
        }

        ParseResult? result = null;
        try
        {
            result = root.Parse(args);
            if (result.Action is ParseErrorAction)
            {
                return UsageErrors.Report(result);
            }

            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            // Every command's action is guarded; this is the last line of defence against a stack trace.
            Console.Error.WriteLine(result is null ? $"walactors: error: {CommandFailure.OneLine(e.Message)}" : CommandFailure.Describe(result, e));
            return ExitCodes.For(e);
        }
    }
}
