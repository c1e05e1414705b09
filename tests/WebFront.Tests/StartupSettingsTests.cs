using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrleansChat.GrainInterfaces.Configuration;
using OrleansChat.WebFront.Hosting;

namespace OrleansChat.WebFront.Tests;

/// <summary>A front with a bad setting does not start, and says which setting in one line.</summary>
public sealed class StartupSettingsTests
{
    [Fact]
    public async Task A_front_with_a_renewal_slower_than_the_observer_expiry_refuses_to_start()
    {
        await using var front = ChatFrontHost.Build(["--environment", "Production"], c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jwt:SigningKey"] = "test-signing-key-" + Guid.NewGuid().ToString("N"),
            ["ConnectionStrings:ChatDb"] = "Host=127.0.0.1",
            ["ConnectionStrings:Redis"] = TestRedis.ConnectionString,
            ["Chat:Realtime:ResubscribeInterval"] = "00:03:00",
            ["Urls"] = "http://127.0.0.1:0",
        }));

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => front.StartAsync());

        var line = ValidatedSettings.Describe(refused);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("Chat:Realtime:ResubscribeInterval must be between 00:00:01 and 00:01:00 (is 00:03:00)", line);
    }
}
