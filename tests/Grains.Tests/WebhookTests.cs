using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansChat.Grains.Outbox;
using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>Outbox events reach a real HTTP receiver, signed, and are retried until it answers 2xx.</summary>
public sealed class WebhookTests
{
    private const string Secret = "webhook-test-secret-0123456789abcdef0123456789";

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
            await Eventually.Holds(async () => await database.ScalarAsync<string>(
                "SELECT (delivered_at IS NOT NULL)::text || ':' || attempts FROM chat_integration_events WHERE event_id = @id", ("id", Guid.Parse(accepted.EventId))) == "true:2",
                TimeSpan.FromSeconds(15), "the event row to record delivery on the second attempt", TimeSpan.FromMilliseconds(50));
        }
        finally
        {
            await cluster.DisposeAsync();
            await receiver.StopAsync();
        }
    }

    [Fact]
    public async Task Two_dispatchers_never_deliver_one_event_at_the_same_time_however_slow_the_receiver()
    {
        // A slow receiver: 100 events take one dispatcher almost twice as long as one lease (3 × the request timeout), so a
        // lease taken for a whole batch would run out while its later events wait, and the other dispatcher would
        // send them too, at the same time.
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var overlaps = new System.Collections.Concurrent.ConcurrentBag<string>();
        var accepted = new EventWaiter<string>();
        await using var receiver = WebApplication.CreateSlimBuilder().Build();
        receiver.Urls.Add("http://127.0.0.1:0");
        receiver.MapPost("/hook", async (HttpContext http) =>
        {
            var id = http.Request.Headers["X-Chat-Event-Id"].ToString();
            if (inFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
            {
                overlaps.Add(id);
            }
            try
            {
                // A delivery the dispatcher gave up on (timeout) ends here too, so it cannot count as accepted.
                await Task.Delay(TimeSpan.FromMilliseconds(100), http.RequestAborted);
                accepted.Add(id);
                return Results.NoContent();
            }
            finally
            {
                inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
            }
        });
        await receiver.StartAsync();
        var url = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

        await using var database = await TestDatabase.CreateAsync();
        const int Events = 100;
        await using (var insert = database.DataSource.CreateCommand("""
            INSERT INTO chat_integration_events (event_id, event_type, thread_id, message_id, payload, created_at)
            SELECT gen_random_uuid(), 'job_updated', 1, n, '{}'::jsonb, now() FROM generate_series(1, @n) AS n
            """))
        {
            insert.Parameters.AddWithValue("n", Events);
            await insert.ExecuteNonQueryAsync();
        }
        var options = Options.Create(new WebhookOptions
        {
            Url = url,
            Secret = Secret,
            PollInterval = TimeSpan.FromMilliseconds(50),
            RequestTimeout = TimeSpan.FromSeconds(2),
            BatchSize = Events,
        });
        var outbox = new OutboxStore(database.DataSource);
        var failedAttempts = new FailedDeliveryLog();
        using var first = new WebhookDispatcher(outbox, options, failedAttempts);
        using var second = new WebhookDispatcher(outbox, options, failedAttempts);
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        try
        {
            await accepted.WaitUntil(ids => ids.Distinct().Count() == Events, TimeSpan.FromSeconds(60), "every event accepted");
            // The receiver answers before the dispatcher records the delivery: poll the rows until they say so.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (await database.ScalarAsync<long>("SELECT count(*) FROM chat_integration_events WHERE delivered_at IS NOT NULL") < Events && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
        finally
        {
            await first.StopAsync(CancellationToken.None);
            await second.StopAsync(CancellationToken.None);
            await receiver.StopAsync();
        }
        Assert.Empty(overlaps);
        // Nor one after the other: an event reaches the receiver a second time only as the retry of an attempt the
        // dispatcher gave up on (a timeout on a starved machine), never because another dispatcher took it over.
        foreach (var delivery in accepted.Items.GroupBy(id => id))
        {
            Assert.True(delivery.Count() <= 1 + failedAttempts.For(delivery.Key),
                $"event {delivery.Key} accepted {delivery.Count()} times after {failedAttempts.For(delivery.Key)} failed attempts");
        }
        Assert.Equal(Events, await database.ScalarAsync<long>("SELECT count(*) FROM chat_integration_events WHERE delivered_at IS NOT NULL"));
    }

    [Theory]
    [InlineData("short-secret")]
    [InlineData("REPLACE_ME_WITH_AT_LEAST_32_RANDOM_BYTES")]
    public void A_webhook_URL_with_a_short_or_placeholder_secret_is_refused(string secret)
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions { Url = "http://127.0.0.1:1/hook", Secret = secret });
        Assert.True(result.Failed);
        Assert.Contains("Webhooks:Secret", result.FailureMessage);
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions { Url = null, Secret = secret }).Succeeded);
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions { Url = "http://127.0.0.1:1/hook", Secret = Secret }).Succeeded);
    }

    /// <summary>The dispatcher's warnings about one event's failed attempt, counted per event id.</summary>
    private sealed class FailedDeliveryLog : ILogger<WebhookDispatcher>
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _failures = new();

        public int For(string eventId) => _failures.GetValueOrDefault(eventId);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields && fields.FirstOrDefault(f => f.Key == "EventId").Value is Guid failed)
            {
                _failures.AddOrUpdate(failed.ToString(), 1, (_, n) => n + 1);
            }
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    }
}
