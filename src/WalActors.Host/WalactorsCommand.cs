using System.CommandLine;
using WalActors.Host.Cli;
using WalActors.Host.Commands;

namespace WalActors.Host;

/// <summary>The walactors command line: every subcommand registered here, one line each.</summary>
internal static class WalactorsCommand
{
    // Adding a command is a file under Commands/ with a Create() and one line here.
    private static readonly Func<Command>[] Commands =
    [
        DemoCommand.Create,
        InspectCommand.Create,
        VerifyCommand.Create,
        DumpCommand.Create,
        TailCommand.Create,
        AppendCommand.Create,
        SalvageCommand.Create,
        CompactCommand.Create,
        BenchCommand.Create,
    ];

    public static int Run(string[] args) => CommandLine.Run(Create(), args);

    /// <summary>The root: named "walactors" whatever the file it runs from (the tool's shim, WalActors.Host.dll).</summary>
    public static Command Create()
    {
        var root = new DocumentedCommand("walactors", "Demonstrate, benchmark, inspect and verify WalActors write-ahead logs.", $"""
            Without a command it runs the demo. `walactors COMMAND --help` tells what a command prints, with examples.
            Counts and sizes are printed with thousands separators; LSNs never are (copy them into --from).

            {ExitCodes.Table}
            """);
        foreach (var create in Commands)
        {
            root.Subcommands.Add(create());
        }

        // A bare `walactors` runs the demo with its defaults.
        root.SetAction((result, cancellation) => root.Parse(["demo"]).InvokeAsync(cancellationToken: cancellation));
        return root;
    }
}
