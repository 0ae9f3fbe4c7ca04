using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace WalActors.Host.Cli;

/// <summary>The standard help, followed by the details of a <see cref="DocumentedCommand"/>.</summary>
internal sealed class DetailedHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        standard.Invoke(parseResult);
        if (parseResult.CommandResult.Command is DocumentedCommand { Details.Length: > 0 } command)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(command.Details.TrimEnd());
            output.WriteLine();
        }

        return ExitCodes.Ok;
    }
}
