using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansChat.Grains.Outbox;

/// <summary>
/// Delivers outbox events to the configured webhook: POST of the event as JSON, signed with HMAC-SHA256 of the body,
/// retried with exponential backoff until a 2xx. It runs beside the grains, so a slow or dead receiver never delays a
/// send; receivers dedupe by X-Chat-Event-Id (delivery is at-least-once).
/// </summary>
public sealed partial class WebhookDispatcher(OutboxStore outbox, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly WebhookOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(_options.Url))
        {
            return;
        }
        using var http = new HttpClient { Timeout = _options.RequestTimeout };
        var lease = _options.RequestTimeout * 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = 0;
            try
            {
                // Each event is leased on its own, just before its delivery: a lease taken for a whole batch could run
                // out while earlier events of the batch were still being delivered, and another silo would then send
                // the same event at the same time.
                for (var i = 0; i < _options.BatchSize && !stoppingToken.IsCancellationRequested; i++)
                {
                    if ((await outbox.LeaseAsync(1, lease)).SingleOrDefault() is not { } pending)
                    {
                        break;
                    }
                    delivered += await DeliverAsync(http, pending, stoppingToken) ? 1 : 0;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, e);
            }
            if (delivered == 0)
            {
                await Task.Delay(_options.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<bool> DeliverAsync(HttpClient http, PendingEvent pending, CancellationToken stoppingToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["event_id"] = pending.EventId,
            ["event_type"] = pending.EventType,
            ["thread"] = pending.ThreadId,
            ["message"] = pending.MessageId,
            ["payload"] = JsonDocument.Parse(pending.PayloadJson).RootElement,
            ["created_at"] = pending.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Chat-Event-Id", pending.EventId.ToString());
        request.Headers.Add("X-Chat-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.Secret), body)));
        try
        {
            using var response = await http.SendAsync(request, stoppingToken);
            if (response.IsSuccessStatusCode)
            {
                await outbox.MarkDeliveredAsync(pending.EventId);
                return true;
            }
            LogRejected(logger, pending.EventId, (int)response.StatusCode, pending.Attempts + 1);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            LogUnreachable(logger, pending.EventId, pending.Attempts + 1, e.Message);
        }
        var delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryBaseDelay.Ticks << Math.Min(pending.Attempts, 20)));
        await outbox.ScheduleRetryAsync(pending.EventId, delay);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook refused event {EventId} with {Status} (attempt {Attempt}); retrying later")]
    private static partial void LogRejected(ILogger logger, Guid eventId, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook unreachable for event {EventId} (attempt {Attempt}): {Reason}; retrying later")]
    private static partial void LogUnreachable(ILogger logger, Guid eventId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the outbox failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
