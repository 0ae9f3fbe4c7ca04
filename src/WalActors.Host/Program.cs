using System.CommandLine;

var root = new RootCommand("walactors: demonstrate, benchmark, inspect and verify a WalActors write-ahead log.");
return root.Parse(args).Invoke();
