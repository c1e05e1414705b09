using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrleansChat.GrainInterfaces.Configuration;
using OrleansChat.Silo.Hosting;
using OrleansChat.WebFront.Hosting;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// Processes refuse to start with keys nobody should run with: short ones, and the placeholders of the deploy/
/// examples (public, and long enough to pass a length check). Issue 14.
/// </summary>
public sealed partial class StartupSecretTests
{
    [Fact]
    public void Every_placeholder_secret_in_the_deploy_examples_is_refused_as_a_key()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "OrleansChat.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        }
        var found = new List<(string File, string Value)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root.FullName, "deploy"), "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            foreach (Match match in SecretSetting().Matches(File.ReadAllText(file)))
            {
                var value = match.Groups["value"].Value;
                if (value.Length > 0 && !value.StartsWith('$'))
                {
                    found.Add((Path.GetRelativePath(root.FullName, file), value));
                }
            }
        }
        Assert.NotEmpty(found);
        Assert.All(found, f => Assert.True(SecretRules.Problem(f.Value, "key") is not null, $"{f.File}: '{f.Value}' would be accepted as a key"));
        Assert.Contains(found, f => Encoding.UTF8.GetByteCount(f.Value) >= SecretRules.MinBytes);
    }

    [Fact]
    public void A_front_refuses_to_start_with_a_placeholder_signing_key_even_a_long_one()
    {
        var error = Assert.Throws<OrleansChat.GrainInterfaces.Configuration.InvalidSettingsException>(() => ChatFrontHost.Build(["--environment", "Production"], c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jwt:SigningKey"] = "REPLACE_ME_WITH_AT_LEAST_32_RANDOM_BYTES",
            ["ConnectionStrings:ChatDb"] = "Host=127.0.0.1",
            ["ConnectionStrings:Redis"] = "127.0.0.1:1",
        })));
        Assert.Contains("placeholder", error.Message);
    }

    [Fact]
    public async Task A_silo_with_a_webhook_URL_refuses_to_start_with_a_short_secret()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var silo = ChatSiloHost.Build([], c => c.AddInMemoryCollection(StackSettings.Silo(database.ConnectionString, TestRedis.NewClusterId()).With(new Dictionary<string, string?>
        {
            ["Webhooks:Url"] = "http://127.0.0.1:1/hook",
            ["Webhooks:Secret"] = "too-short",
            ["Logging:LogLevel:Default"] = "Critical",
        })));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());
        Assert.Contains("Webhooks:Secret", error.Message);
    }

    // Jwt__SigningKey: "…", Webhooks__Secret=…, JWT_SIGNING_KEY=…, WEBHOOKS_SECRET=… in YAML, env files and compose.
    [GeneratedRegex(@"(?:Jwt__SigningKey|Webhooks__Secret|JWT_SIGNING_KEY|WEBHOOKS_SECRET)\s*[:=]\s*""?(?<value>[^""\s#]*)", RegexOptions.Multiline)]
    private static partial Regex SecretSetting();
}
