using System.Net;
using System.Net.Sockets;

namespace WalActors.Cluster.Tests.Nodes;

/// <summary>Ports on 127.0.0.1 that nothing listens on at the moment of asking (the OS picks them).</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
