using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansChat.WebFront.Tests;

/// <summary>A real SignalR client of /hubs/chat that records every event by name.</summary>
public sealed class HubClient : IAsyncDisposable
{
    private static readonly string[] EventNames = ["chat_message", "message_edited", "message_deleted", "messages_read", "typing_indicator", "unread_count", "thread_updated", "reaction_updated", "messages_delivered", "presence"];

    private HubClient(HubConnection connection, bool recordJson)
    {
        Connection = connection;
        // A handler fixes the argument type the client binds to: MessagePack payloads cannot bind to JsonElement.
        foreach (var name in recordJson ? EventNames : [])
        {
            connection.On<JsonElement>(name, payload => Events.Add((name, payload)));
        }
        connection.Closed += error =>
        {
            Closed.Add(error);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    public EventWaiter<(string Name, JsonElement Payload)> Events { get; } = new();

    public EventWaiter<Exception?> Closed { get; } = new();

    public static async Task<HubClient> ConnectAsync(Uri front, string token, bool messagePack = false)
    {
        var builder = HubConnections.Builder(front, token);
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        var client = new HubClient(builder.Build(), recordJson: !messagePack);
        await client.Connection.StartAsync();
        return client;
    }

    public async Task<JsonElement> JoinAsync(long threadId, long? afterSeq = null) =>
        await Connection.InvokeAsync<JsonElement>("JoinThread", threadId, afterSeq);

    public Task<JsonElement> SendAsync(long threadId, object payload) => Connection.InvokeAsync<JsonElement>("SendMessage", threadId, payload);

    public async Task<IReadOnlyList<JsonElement>> WaitFor(string name, Func<IReadOnlyList<JsonElement>, bool> condition, string what)
    {
        var events = await Events.WaitUntil(e => condition([.. e.Where(x => x.Name == name).Select(x => x.Payload)]), TimeSpan.FromSeconds(30), what);
        return [.. events.Where(x => x.Name == name).Select(x => x.Payload)];
    }

    public IReadOnlyList<JsonElement> Received(string name) => [.. Events.Items.Where(x => x.Name == name).Select(x => x.Payload)];

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
