using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Grains.Outbox;
using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>Outbox events reach a real HTTP receiver, signed, and are retried until it answers 2xx.</summary>
public sealed class WebhookTests
{
    private const string Secret = "webhook-test-secret";

    [Fact]
    public async Task Integration_events_are_delivered_signed_and_retried_until_accepted()
    {
        var received = new EventWaiter<(string EventId, string Signature, string Body, int Status)>();
        var attempts = 0;
        await using var receiver = WebApplication.CreateSlimBuilder().Build();
        receiver.Urls.Add("http://127.0.0.1:0");
        receiver.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            // The first delivery fails: the dispatcher must come back.
            var status = Interlocked.Increment(ref attempts) == 1 ? 500 : 204;
            received.Add((http.Request.Headers["X-Chat-Event-Id"].ToString(), http.Request.Headers["X-Chat-Signature"].ToString(), body, status));
            return Results.StatusCode(status);
        });
        await receiver.StartAsync();
        var url = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

        await using var database = await TestDatabase.CreateAsync();
        var cluster = await ChatTestCluster.StartAsync(database, configure: silo => silo.Services.Configure<WebhookOptions>(o =>
        {
            o.Url = url;
            o.Secret = Secret;
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
        }));
        try
        {
            var chat = await ChatScenario.CreateAsync(cluster.Client);
            var sent = await chat.Thread.Send(new SendCommand(chat.ClientUser, "Payment initiated: 10.00 USD", "payment",
                "{\"amount\":\"10.00\",\"currency\":\"USD\",\"status\":\"initiated\"}", null, new IntegrationEventDraft("payment_initiated", "{\"amount\":\"10.00\"}")));

            var deliveries = await received.WaitUntil(d => d.Any(x => x.Status == 204), TimeSpan.FromSeconds(30), "an accepted delivery");
            Assert.Equal(500, deliveries[0].Status);
            var accepted = deliveries.Single(d => d.Status == 204);
            Assert.Equal(deliveries[0].EventId, accepted.EventId);
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(accepted.Body))), accepted.Signature);
            var body = JsonDocument.Parse(accepted.Body).RootElement;
            Assert.Equal(accepted.EventId, body.GetProperty("event_id").GetString());
            Assert.Equal("payment_initiated", body.GetProperty("event_type").GetString());
            Assert.Equal(chat.ThreadId, body.GetProperty("thread").GetInt64());
            Assert.Equal(sent.Message.Id, body.GetProperty("message").GetInt64());
            Assert.Equal("10.00", body.GetProperty("payload").GetProperty("amount").GetString());

            // The receiver saw the request before the dispatcher saw the answer: poll the row until it records it.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            string state;
            while ((state = await database.ScalarAsync<string>(
                "SELECT (delivered_at IS NOT NULL)::text || ':' || attempts FROM chat_integration_events WHERE event_id = @id", ("id", Guid.Parse(accepted.EventId)))) != "true:2"
                && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Assert.Equal("true:2", state);
        }
        finally
        {
            await cluster.DisposeAsync();
            await receiver.StopAsync();
        }
    }
}
