using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansChat.WebFront.Diagnostics;

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

    private static readonly Counter<long> LogFills = Meter.CreateCounter<long>(
        "chat.delivery.fills", "{fill}",
        "Live streams that read missing messages from the log, by reason: gap (a batch missing past the gap delay), " +
        "tail (a renewal showed batches that never came), seq (a batch began past the next seq), epoch (a new activation).");

    private static readonly Counter<long> LateBatches = Meter.CreateCounter<long>(
        "chat.delivery.late_batches", "{batch}",
        "Batches that arrived after a fill had given up on them: a fill the gap delay made needlessly.");

    private static long _hubConnections;
    private static long _webSocketConnections;

    // Observed, not counted: a meter listener that starts after connections opened (a second MeterProvider, a late
    // exporter) would otherwise see their closes without their opens and report a negative count.
    private static readonly ObservableUpDownCounter<long> Connections = Meter.CreateObservableUpDownCounter(
        "chat.connections",
        () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _hubConnections), new KeyValuePair<string, object?>("protocol", "hub")),
            new Measurement<long>(Interlocked.Read(ref _webSocketConnections), new KeyValuePair<string, object?>("protocol", "websocket")),
        },
        "{connection}",
        "Open realtime connections on this front.");

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

    public static void Filled(string reason) => LogFills.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void LateBatch() => LateBatches.Add(1);

    public static void HubConnected() => Interlocked.Increment(ref _hubConnections);

    public static void HubDisconnected() => Interlocked.Decrement(ref _hubConnections);

    public static void WebSocketConnected() => Interlocked.Increment(ref _webSocketConnections);

    public static void WebSocketDisconnected() => Interlocked.Decrement(ref _webSocketConnections);
}
