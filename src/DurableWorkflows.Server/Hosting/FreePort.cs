using System.Net;
using System.Net.Sockets;

namespace DurableWorkflows.Server.Hosting;

/// <summary>Finds a TCP port nothing listens on, on the loopback interface.</summary>
public static class FreePort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
