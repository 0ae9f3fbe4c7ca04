using System.CommandLine;

namespace WalActors.Host.Cli;

/// <summary>
/// A command with a one-line summary, which the list of commands shows, and details (what it prints, its exit codes,
/// examples), which only its own <c>--help</c> shows: that keeps the root help short.
/// </summary>
internal sealed class DocumentedCommand(string name, string summary, string details) : Command(name, summary)
{
    public string Details { get; } = details;
}
