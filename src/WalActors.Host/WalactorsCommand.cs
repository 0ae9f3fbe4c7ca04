using System.CommandLine;
using WalActors.Host.Commands;

namespace WalActors.Host;

/// <summary>The walactors command line: every subcommand registered in one place.</summary>
internal static class WalactorsCommand
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("walactors: demonstrate, benchmark, inspect and verify a WalActors write-ahead log.");
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }

    private static IEnumerable<Command> Commands() =>
    [
        InspectCommand.Create(),
        BenchCommand.Create(),
    ];
}
