using WalActors.Tests.Support;

namespace WalActors.CrashTests.Support;

/// <summary>A test that works on one log in a fresh temporary directory, deleted with everything in it afterwards.</summary>
public abstract class LogDirectoryTest : IDisposable
{
    /// <summary>How long a child process may take before the test gives up on it: a hang detector, not a timing assertion.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _directory = new();

    protected string LogPath => _directory.Combine("log");

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }
}
