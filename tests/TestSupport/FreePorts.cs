using System.Net;
using System.Net.Sockets;

namespace OrleansChat.TestSupport;

public static class FreePorts
{
    /// <summary>A loopback port that was free a moment ago (the OS hands out each once before cycling).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
