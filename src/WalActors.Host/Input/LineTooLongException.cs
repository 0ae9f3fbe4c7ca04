using WalActors.Host.Cli;

namespace WalActors.Host.Input;

/// <summary>A line of input is longer than the largest record the log accepts; it and everything after it are not appended.</summary>
internal sealed class LineTooLongException(long lineNumber, int maxLength)
    : UsageException($"line {lineNumber} is longer than the largest record, {maxLength:N0} bytes (walactors.log.max-record-size)")
{
    public long LineNumber { get; } = lineNumber;
}
