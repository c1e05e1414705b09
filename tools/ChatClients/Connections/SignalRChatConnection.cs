using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansChat.ChatClients;

/// <summary>A hub connection (/hubs/chat, spec §5) over WebSockets with the JSON or MessagePack protocol.</summary>
public sealed class SignalRChatConnection : IChatConnection
{
    private static readonly string[] OtherEvents = ["unread_count", "thread_updated", "messages_read", "typing_indicator", "message_edited", "message_deleted"];
    private readonly HubConnection _hub;
    private readonly IDeliverySink _sink;
    private readonly SeqOrderTracker _order = new();

    public SignalRChatConnection(Uri front, long userId, string token, bool messagePack, IDeliverySink sink)
    {
        UserId = userId;
        _sink = sink;
        var builder = HubConnections.Builder(front, token, webSocketsOnly: true);
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
                o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            });
        }
        builder.Services.Configure<HubConnectionOptions>(o => o.ServerTimeout = TimeSpan.FromSeconds(120));
        _hub = builder.Build();
        _hub.On("chat_message", [typeof(object)], args =>
        {
            _sink.OnChatMessage(UserId, WirePayload.Read(args[0]), _order);
            return Task.CompletedTask;
        });
        foreach (var name in OtherEvents)
        {
            _hub.On(name, [typeof(object)], _ =>
            {
                _sink.OnOtherEvent();
                return Task.CompletedTask;
            });
        }
        _hub.Closed += e =>
        {
            _sink.OnClosed(e);
            return Task.CompletedTask;
        };
    }

    public long UserId { get; }

    public Task ConnectAsync(CancellationToken ct) => _hub.StartAsync(ct);

    public Task JoinAsync(long threadId, CancellationToken ct) => _hub.InvokeAsync<object>("JoinThread", threadId, (long?)null, ct);

    public Task SendAsync(long threadId, string text, string clientMessageId) =>
        _hub.InvokeAsync<object>("SendMessage", threadId, new Dictionary<string, object> { ["message"] = text, ["client_message_id"] = clientMessageId });

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
