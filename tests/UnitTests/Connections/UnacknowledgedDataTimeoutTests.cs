using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using OrleansChat.Grains.Hosting;

namespace OrleansChat.UnitTests.Connections;

/// <summary>
/// TCP_USER_TIMEOUT reaches Orleans' sockets only through the field Orleans keeps its socket in: these fail when an
/// Orleans upgrade moves it, instead of a cut link quietly stalling calls again (docs/reliability.md).
/// </summary>
public sealed class UnacknowledgedDataTimeoutTests
{
    [Fact]
    public void Orleans_transport_connection_still_keeps_its_socket_where_the_middleware_reads_it()
    {
        var transport = typeof(Orleans.Configuration.ClientConnectionOptions).Assembly.GetType("Orleans.Networking.Shared.SocketConnection");
        Assert.NotNull(transport);
        Assert.True(typeof(ConnectionContext).IsAssignableFrom(transport));
        var field = transport.GetField(UnacknowledgedDataTimeout.SocketField, BindingFlags.Instance | BindingFlags.NonPublic);
        Assert.NotNull(field);
        Assert.Equal(typeof(Socket), field.FieldType);
    }

    [Fact]
    public void The_timeout_is_set_on_the_socket_of_a_connection()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // TCP_USER_TIMEOUT is a Linux socket option; elsewhere TryApply sets nothing
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect((IPEndPoint)listener.LocalEndpoint);
        var connection = new ConnectionWithSocket(socket);

        Assert.True(UnacknowledgedDataTimeout.TryApply(connection, TimeSpan.FromSeconds(3)));

        var value = new byte[4];
        socket.GetRawSocketOption(6, 18, value);
        Assert.Equal(3000, BitConverter.ToInt32(value));
    }

    [Fact]
    public void A_connection_without_a_socket_is_left_alone()
    {
        Assert.False(UnacknowledgedDataTimeout.TryApply(new DefaultConnectionContext(), TimeSpan.FromSeconds(3)));
    }

    /// <summary>Keeps its socket under the same field name as Orleans' transport connection.</summary>
    private sealed class ConnectionWithSocket(Socket socket) : DefaultConnectionContext
    {
#pragma warning disable IDE1006, CS0414 // the name Orleans uses, read by reflection only
        private readonly Socket _socket = socket;
#pragma warning restore IDE1006, CS0414
    }
}
