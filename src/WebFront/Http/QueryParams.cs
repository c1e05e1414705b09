using System.Globalization;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Http;

/// <summary>Query parameters that must parse when present (400 otherwise).</summary>
public static class QueryParams
{
    public static long? Long(HttpRequest request, string name)
    {
        var raw = request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw RequestProblemException.BadQuery(name);
    }

    public static bool? Bool(HttpRequest request, string name)
    {
        var raw = request.Query[name].FirstOrDefault();
        return raw?.ToLowerInvariant() switch
        {
            null or "" => null,
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw RequestProblemException.BadQuery(name),
        };
    }

    /// <summary>The request URL with some query parameters replaced, for next/previous links.</summary>
    public static string Link(HttpRequest request, params (string Name, string? Value)[] changes)
    {
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                query.Remove(name);
            }
            else
            {
                query[name] = value;
            }
        }
        var path = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";
        return query.Count == 0 ? path : path + "?" + string.Join("&", query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
    }
}
