namespace WalActors.Host.Cli;

/// <summary>A value the parser accepted but the command cannot use (a payload over the log's record limit, an LSN past its end).</summary>
internal sealed class UsageException(string message) : Exception(message);
