using WalActors.Host;

return WalactorsCommand.Run(args);
