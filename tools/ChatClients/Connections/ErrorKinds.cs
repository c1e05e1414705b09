using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;

namespace OrleansChat.ChatClients;

/// <summary>Groups errors into a few kinds for the report ("429", "503", "timeout", "socket" ...).</summary>
public static class ErrorKinds
{
    public static string Of(Exception e) => e switch
    {
        HubException h => Status(h.Message),
        InvalidOperationException i when i.Message.Length > 3 && i.Message[3] == ':' => Status(i.Message),
        TimeoutException or TaskCanceledException or OperationCanceledException => "timeout",
        WebSocketException => "websocket",
        HttpRequestException http => http.StatusCode is { } code ? ((int)code).ToString(CultureInfo.InvariantCulture) : "http",
        IOException or System.Net.Sockets.SocketException => "socket",
        _ => e.GetType().Name,
    };

    /// <summary>"429: Too many requests." → "429"; hub exceptions carry the REST status first (spec §5); others keep their text.</summary>
    private static string Status(string message)
    {
        if (message.Length >= 4 && char.IsAsciiDigit(message[0]) && char.IsAsciiDigit(message[1]) && char.IsAsciiDigit(message[2]) && message[3] == ':')
        {
            return message[..3];
        }
        const string Prefix = "due to an error on the server. ";
        var at = message.IndexOf(Prefix, StringComparison.Ordinal);
        var text = at >= 0 ? message[(at + Prefix.Length)..] : message;
        return "hub: " + (text.Length <= 80 ? text : text[..80]);
    }
}
