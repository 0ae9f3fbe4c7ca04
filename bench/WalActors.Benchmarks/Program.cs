using WalActors.Benchmarks;
using WalActors.Benchmarks.Experiments;
using WalActors.Benchmarks.WhatIf;
using WalActors.Host.Bench;
using WalActors.Host.Cli;
using WalActors.Host.Commands;

// The same benchmark as `walactors bench`, same options, same report, with FasterLog run beside WalActors; and, as a
// subcommand, the write-path experiments (raw O_DIRECT, sync_file_range and io_uring calls the tool has no use for).
// walactors-warmed is a what-if (segments warmed from outside the library), run only when named in --systems.
var catalog = BenchCatalog.Own
    .With(new BenchSystem(FasterLogTarget.Name, BenchRole.Peer, directory => new FasterLogTarget(directory), new FasterLogRecoveryBench()))
    .With(new BenchSystem(WarmedWalTarget.Name, BenchRole.Baseline, directory => new WarmedWalTarget(directory), Optional: true));
var root = new DocumentedCommand("WalActors.Benchmarks", "The peer comparison: walactors bench with FasterLog beside WalActors.",
    BenchCommand.Details("dotnet run -c Release --project bench/WalActors.Benchmarks --"));
var command = BenchCommand.Configure(root, catalog);
command.Subcommands.Add(ExperimentsCommand.Create());
command.Subcommands.Add(WalActors.Benchmarks.Startup.StartupCommand.Create());
return CommandLine.Run(command, args);
