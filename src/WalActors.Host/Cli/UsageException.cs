namespace WalActors.Host.Cli;

/// <summary>A value or input the parser accepted but the command cannot use (a payload over the log's record limit, an LSN past its end).</summary>
internal class UsageException(string message) : Exception(message);
