using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansChat.WebFront.Realtime;

/// <summary>The front side of OrleansChat's meter ("OrleansChat"), exported at /metrics.</summary>
public static class ChatFrontMetrics
{
    private static readonly Meter Meter = new("OrleansChat");

    private static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>(
        "chat.messages.sent", "{message}", "Sends acknowledged by this front (REST, hub, WebSocket).");

    private static readonly Histogram<double> SendDuration = Meter.CreateHistogram<double>(
        "chat.send.duration", "ms", "From a send entering this front to its durable acknowledgement.");

    private static readonly Counter<long> EventsDelivered = Meter.CreateCounter<long>(
        "chat.events.delivered", "{event}", "Thread events handed to local listeners (per listening user or socket).");

    private static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>(
        "chat.connections", "{connection}", "Open realtime connections on this front.");

    /// <summary>Runs a send and records its acknowledgement latency.</summary>
    public static async Task<SendResult> TimeSend(string protocol, Func<Task<SendResult>> send)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await send();
        var tag = new KeyValuePair<string, object?>("protocol", protocol);
        SendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        MessagesSent.Add(1, tag);
        return result;
    }

    public static void Delivered(int listeners) => EventsDelivered.Add(listeners);

    public static void Connected(string protocol) => Connections.Add(1, new KeyValuePair<string, object?>("protocol", protocol));

    public static void Disconnected(string protocol) => Connections.Add(-1, new KeyValuePair<string, object?>("protocol", protocol));
}
