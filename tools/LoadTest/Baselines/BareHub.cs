using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;

namespace OrleansChat.LoadTest.Baselines;

/// <summary>
/// The bare-hub baseline: the same hub surface as /hubs/chat (JoinThread, SendMessage, chat_message events of the
/// same shape) with no Orleans, no storage and no authentication. The sender's id is read (not validated) from the
/// token so receivers can tell others' messages from their own.
/// </summary>
public sealed class BareHub : Hub
{
    private static readonly ConcurrentDictionary<long, StrongBox<long>> Seqs = new();
    private static long _ids;

    public override Task OnConnectedAsync()
    {
        Context.Items["user"] = ReadUser(Context.GetHttpContext());
        return Task.CompletedTask;
    }

    public async Task<object[]> JoinThread(long threadId, long? afterSeq)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(threadId));
        return [];
    }

    public async Task<BareMessage> SendMessage(long threadId, object payload)
    {
        var (text, clientId) = Read(payload);
        var seq = Interlocked.Increment(ref Seqs.GetOrAdd(threadId, _ => new StrongBox<long>()).Value);
        var message = new BareMessage(Interlocked.Increment(ref _ids), threadId, seq, (BareUser)Context.Items["user"]!, text, "text",
            DateTime.UtcNow, null, false, false, false, null, clientId);
        await Clients.Group(Group(threadId)).SendAsync("chat_message", message);
        return message;
    }

    private static string Group(long threadId) => "thread:" + threadId.ToString(CultureInfo.InvariantCulture);

    private static (string Text, string? ClientId) Read(object payload) => payload switch
    {
        JsonElement e => (e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "", e.TryGetProperty("client_message_id", out var c) ? c.GetString() : null),
        IDictionary<object, object?> map => (map.TryGetValue("message", out var m) ? m as string ?? "" : "", map.TryGetValue("client_message_id", out var c) ? c as string : null),
        _ => ("", null),
    };

    private static BareUser ReadUser(HttpContext? http)
    {
        var header = http?.Request.Headers.Authorization.ToString() ?? "";
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : http?.Request.Query["access_token"].ToString() ?? "";
        try
        {
            var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var root = doc.RootElement;
            return new BareUser(long.Parse(root.GetProperty("sub").GetString()!, CultureInfo.InvariantCulture), root.GetProperty("username").GetString() ?? "");
        }
        catch (Exception e) when (e is FormatException or JsonException or IndexOutOfRangeException or KeyNotFoundException or ArgumentNullException)
        {
            return new BareUser(0, "anonymous");
        }
    }
}

public sealed record BareUser(long Id, string Username);

/// <summary>The same fields as the chat's message (spec §2).</summary>
public sealed record BareMessage(
    long Id, long Thread, long Seq, BareUser Sender, string Message, string MessageType, DateTime SentAt, DateTime? EditedAt,
    bool IsEdited, bool IsDeleted, bool IsRead, object? Metadata, string? ClientMessageId);

/// <summary>Hosts <see cref="BareHub"/> on a loopback port, configured like the chat front (snake_case JSON, MessagePack).</summary>
public static class BareHubServer
{
    public static WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 256 * 1024)
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
                o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            })
            .AddMessagePackProtocol();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/health/ready", () => "ok");
        app.MapHub<BareHub>("/hubs/chat");
        return app;
    }

    /// <summary>`LoadTest baseline-hub --port N`: runs until stdin closes or the process is stopped.</summary>
    public static async Task<int> RunAsync(int port)
    {
        await using var app = Build(port);
        await app.StartAsync();
        Console.WriteLine($"bare hub listening on http://127.0.0.1:{port}/hubs/chat");
        var stdinClosed = Task.Run(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        });
        await Task.WhenAny(stdinClosed, app.WaitForShutdownAsync());
        await app.StopAsync();
        return 0;
    }
}
