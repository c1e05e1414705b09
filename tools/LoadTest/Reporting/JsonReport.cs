using System.Text.Json.Serialization;

namespace OrleansChat.LoadTest.Reporting;

/// <summary>The result file: the whole <see cref="LoadTestResult"/> in snake_case JSON.</summary>
public static class JsonReport
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(LoadTestResult result) => JsonSerializer.Serialize(result, Options);
}
