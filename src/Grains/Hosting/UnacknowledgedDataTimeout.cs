using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;

namespace OrleansChat.Grains.Hosting;

/// <summary>
/// TCP_USER_TIMEOUT on Orleans' sockets: the kernel closes a connection whose sent data stays unacknowledged this
/// long. Why: when a network drops a peer's packets (a cut link, a partition) nothing closes an Orleans connection —
/// TCP retransmits for ~15 minutes and keep-alive probes only run on an idle connection — so a client keeps sending
/// its calls to a gateway it cannot reach until each call times out, and never picks another gateway. A frozen or
/// slow peer is not affected: its kernel still acknowledges. Linux only (elsewhere nothing is set).
/// </summary>
/// <remarks>
/// Orleans 10 does not expose its sockets (<c>SocketConnectionOptions</c> has only keep-alive), so the socket is read
/// from Orleans' transport connection by its field name; <c>UnacknowledgedDataTimeoutTests</c> fails when an Orleans
/// upgrade renames it, and a connection without it is logged once and left as it is.
/// </remarks>
public static class UnacknowledgedDataTimeout
{
    private const int IpProtoTcp = 6;
    private const int TcpUserTimeout = 18;

    /// <summary>Orleans' transport connection keeps its socket here (Orleans.Networking.Shared.SocketConnection).</summary>
    public const string SocketField = "_socket";

    private static int s_warned;

    /// <summary>Connection middleware that sets the timeout on each new connection's socket.</summary>
    public static void Use(IConnectionBuilder builder, TimeSpan timeout, Action<string> warn) =>
        builder.Use(next => context =>
        {
            if (!TryApply(context, timeout) && Interlocked.Exchange(ref s_warned, 1) == 0)
            {
                warn($"TCP_USER_TIMEOUT not set on {context.GetType().FullName}: a peer behind a cut link is noticed only when calls time out");
            }
            return next(context);
        });

    /// <summary>Sets the timeout on the connection's socket; false when it has none this can find or the OS has no such option.</summary>
    public static bool TryApply(ConnectionContext context, TimeSpan timeout)
    {
        if (!OperatingSystem.IsLinux() || SocketOf(context) is not { } socket)
        {
            return false;
        }
        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpUserTimeout, BitConverter.GetBytes((int)timeout.TotalMilliseconds));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    internal static Socket? SocketOf(ConnectionContext context) =>
        context.GetType().GetField(SocketField, BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(context) as Socket;
}
