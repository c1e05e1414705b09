namespace OrleansChat.WebFront.Tests;

/// <summary>/metrics answers in Prometheus format and OrleansChat's counters move under load.</summary>
[Collection(StackCollection.Name)]
public sealed class MetricsTests(ChatStack stack)
{
    [Fact]
    public async Task Front_metrics_count_sends_deliveries_and_connections()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        using var http = stack.Http();
        var before = Parse(await http.GetStringAsync("metrics"));

        await using var hub = await HubClient.ConnectAsync(stack.FrontUri, freelancer.Token);
        await hub.JoinAsync(threadId);
        for (var i = 0; i < 5; i++)
        {
            await ChatApi.SendAsync(stack, client, threadId, $"counted {i}");
        }
        await hub.WaitFor("chat_message", e => e.Count == 5, "five deliveries");

        var text = await http.GetStringAsync("metrics");
        var after = Parse(text);
        Assert.True(Sum(after, "chat_messages_sent_total") - Sum(before, "chat_messages_sent_total") >= 5, text);
        Assert.True(Sum(after, "chat_events_delivered_total") - Sum(before, "chat_events_delivered_total") >= 5);
        Assert.True(Sum(after, "chat_connections") >= 1);
        Assert.Contains("chat_send_duration_milliseconds_bucket", text, StringComparison.Ordinal);
    }

    /// <summary>Prometheus text format: "name{labels} value" lines, summed per metric name.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var values = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var nameEnd = line.IndexOfAny(['{', ' ']);
            var valueStart = line.LastIndexOf(' ');
            if (nameEnd <= 0 || valueStart <= 0)
            {
                continue;
            }
            var parts = line[(valueStart + 1)..];
            if (double.TryParse(parts, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                var name = line[..nameEnd];
                values[name] = values.GetValueOrDefault(name) + value;
            }
        }
        return values;
    }

    private static double Sum(Dictionary<string, double> values, string name) => values.GetValueOrDefault(name);
}
