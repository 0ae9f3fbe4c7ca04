namespace WalActors.Cluster.Tests.Etcd;

/// <summary>
/// The data directory of one test etcd, under a root of their own, marked with the test host's pid. etcd preallocates
/// 64 MiB of write-ahead log, so a directory a crashed test host could not delete is removed by the next run: any whose
/// owner is no longer running.
/// </summary>
public sealed class EtcdDirectory : IDisposable
{
    private const string OwnerFile = "owner.pid";
    private static readonly string Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "walactors-etcd");

    public EtcdDirectory()
    {
        RemoveOrphans();
        Path = System.IO.Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        File.WriteAllText(Combine(OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => TryDelete(Path);

    private static void RemoveOrphans()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            // A directory without its owner file yet is being created by another run: leave it.
            var owner = System.IO.Path.Combine(directory, OwnerFile);
            if (File.Exists(owner) && int.TryParse(ReadOrEmpty(owner), out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                TryDelete(directory);
            }
        }
    }

    private static string ReadOrEmpty(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the next run tries again.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
