using System.Globalization;

namespace OrleansChat.TestStack;

/// <summary>
/// The one place the test stacks' settings come from: the in-process <see cref="ChatStack"/>, the process stack
/// (silos as child processes) and single-host start-up tests all build their configuration here, so a new required
/// setting is added once.
/// </summary>
public static class StackSettings
{
    public const string ServiceId = "orleanschat-tests";

    /// <summary>What every silo needs: its database, the cluster's Redis and ids.</summary>
    public static Dictionary<string, string?> Silo(string database, string clusterId, int? siloPort = null, int? gatewayPort = null) => new()
    {
        ["ConnectionStrings:ChatDb"] = database,
        ["ConnectionStrings:Redis"] = TestRedis.ConnectionString,
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = ServiceId,
        ["Silo:SiloPort"] = (siloPort ?? FreePorts.Next()).ToString(CultureInfo.InvariantCulture),
        ["Silo:GatewayPort"] = (gatewayPort ?? FreePorts.Next()).ToString(CultureInfo.InvariantCulture),
        ["Silo:HttpPort"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>What every front needs, with every rate limit off (tests that measure a limit turn theirs on).</summary>
    public static Dictionary<string, string?> Front(string database, string clusterId, string signingKey) => new()
    {
        ["ConnectionStrings:ChatDb"] = database,
        ["ConnectionStrings:Redis"] = TestRedis.ConnectionString,
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = ServiceId,
        ["Jwt:SigningKey"] = signingKey,
        ["Chat:RateLimit:SendsPerSecond"] = "0",
        ["Chat:RateLimit:ThreadCreatesPerSecond"] = "0",
        ["Chat:RateLimit:MarkReadsPerSecond"] = "0",
        ["Chat:RateLimit:HubInvocationsPerSecond"] = "0",
        ["Chat:RateLimit:TypingPerSecond"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>The same settings as environment variables of a child process ("A:B" → "A__B").</summary>
    public static Dictionary<string, string> AsEnvironment(IReadOnlyDictionary<string, string?> settings) =>
        settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

    /// <summary>Adds or replaces <paramref name="extra"/> in <paramref name="settings"/>.</summary>
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, IEnumerable<KeyValuePair<string, string?>> extra)
    {
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }
}
