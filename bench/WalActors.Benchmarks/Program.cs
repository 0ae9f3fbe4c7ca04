using WalActors.Benchmarks;
using WalActors.Host.Bench;
using WalActors.Host.Cli;
using WalActors.Host.Commands;

// The same benchmark as `walactors bench`, same options, same report, with FasterLog run beside WalActors.
var catalog = BenchCatalog.Own.With(new BenchSystem(FasterLogTarget.Name, BenchRole.Peer, directory => new FasterLogTarget(directory), new FasterLogRecoveryBench()));
var root = new DocumentedCommand("WalActors.Benchmarks", "The peer comparison: walactors bench with FasterLog beside WalActors.",
    BenchCommand.Details("dotnet run -c Release --project bench/WalActors.Benchmarks --"));
return CommandLine.Run(BenchCommand.Configure(root, catalog), args);
