using System.CommandLine;
using WalActors.Host.Commands;

namespace WalActors.Host;

/// <summary>The walactors command line: every subcommand registered in one place.</summary>
internal static class WalactorsCommand
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("""
            walactors: demonstrate, benchmark, inspect and verify a WalActors write-ahead log.
            Without a command it runs the demo (see `walactors demo --help`).
            """);
        root.Subcommands.Add(DemoCommand.Create(out var demo));
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }

        // A bare `walactors` runs the demo with its defaults.
        root.SetAction((result, cancellation) => demo(root.Subcommands[0].Parse([]), cancellation));

        return root.Parse(args).Invoke();
    }

    private static IEnumerable<Command> Commands() =>
    [
        AppendCommand.Create(),
        DumpCommand.Create(),
        InspectCommand.Create(),
        VerifyCommand.Create(),
        TailCommand.Create(),
        BenchCommand.Create(),
    ];
}
