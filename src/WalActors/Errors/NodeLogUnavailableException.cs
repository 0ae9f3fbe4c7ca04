namespace WalActors;

/// <summary>No node log tail host answered at an address: the node is not running, not reachable, or logs without <c>WalLogger</c>.</summary>
public sealed class NodeLogUnavailableException : WalException
{
    /// <summary>Creates the error for <paramref name="address"/>, which did not answer within <paramref name="timeout"/>.</summary>
    public NodeLogUnavailableException(string address, TimeSpan timeout)
        : base($"No WalActors node log answered at {address} within {timeout.TotalSeconds:0.###} s (is the node running, reachable, and logging with WalLogger?).")
    {
        Address = address;
    }

    /// <summary>The address asked.</summary>
    public string Address { get; }
}
