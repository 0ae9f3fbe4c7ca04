using WalActors.Benchmarks;
using WalActors.Benchmarks.Experiments;
using WalActors.Host.Bench;
using WalActors.Host.Cli;
using WalActors.Host.Commands;

// The same benchmark as `walactors bench`, same options, same report, with FasterLog run beside WalActors; and, as a
// subcommand, the write-path experiments (raw O_DIRECT, sync_file_range and io_uring calls the tool has no use for).
var catalog = BenchCatalog.Own.With(new BenchSystem(FasterLogTarget.Name, BenchRole.Peer, directory => new FasterLogTarget(directory), new FasterLogRecoveryBench()));
var root = new DocumentedCommand("WalActors.Benchmarks", "The peer comparison: walactors bench with FasterLog beside WalActors.",
    BenchCommand.Details("dotnet run -c Release --project bench/WalActors.Benchmarks --"));
var command = BenchCommand.Configure(root, catalog);
command.Subcommands.Add(ExperimentsCommand.Create());
return CommandLine.Run(command, args);
