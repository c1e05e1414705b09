using System.Diagnostics;
using Npgsql;

namespace OrleansChat.WebFront.Tests;

/// <summary>Reads presence over REST (and the presence rows behind it) and polls a condition with a deadline.</summary>
public static class PresenceProbe
{
    public static async Task<JsonElement> GetAsync(HttpClient http, long userId)
    {
        var response = await http.GetAsync($"api/chat/users/{userId}/presence/");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"presence of {userId} answered {(int)response.StatusCode}: {body}");
        var presence = JsonDocument.Parse(body).RootElement;
        Assert.Equal(userId, presence.GetProperty("user").GetInt64());
        return presence;
    }

    public static async Task<bool> IsOnlineAsync(HttpClient http, long userId) => (await GetAsync(http, userId)).GetProperty("online").GetBoolean();

    public static DateTime? LastSeen(JsonElement presence) =>
        presence.GetProperty("last_seen_at").ValueKind == JsonValueKind.Null ? null : presence.GetProperty("last_seen_at").GetDateTime().ToUniversalTime();

    /// <summary>Polls <paramref name="condition"/> until it holds; throws after <paramref name="deadline"/>. Returns how long it took.</summary>
    public static async Task<TimeSpan> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Timed out after {deadline} waiting for {what}.");
            }
            await Task.Delay(100);
        }
        return clock.Elapsed;
    }

    /// <summary>How many fronts hold a connection row for the user (what a front's report has reached the database).</summary>
    public static async Task<int> FrontsWithConnectionsAsync(string database, long userId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM chat_presence_connections WHERE user_id = @u", connection);
        command.Parameters.AddWithValue("u", userId);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The <c>presence</c> events a hub client received about <paramref name="userId"/>, in order.</summary>
    public static IReadOnlyList<JsonElement> EventsAbout(HubClient hub, long userId) =>
        [.. hub.Received("presence").Where(e => e.GetProperty("user").GetProperty("id").GetInt64() == userId)];
}
