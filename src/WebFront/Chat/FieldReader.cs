using System.Text.Json;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// Reads typed fields from a JSON object, collecting every error, then refuses with 422 if any. Every string it reads
/// is refused when it holds a NUL (422) or a lone surrogate (400), whatever the field.
/// </summary>
public sealed class FieldReader(JsonElement? root)
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Has(string name) => root is { } r && r.TryGetProperty(name, out _);

    public string? String(string name, bool required = false, int maxLength = int.MaxValue, bool allowNull = true)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required || (!allowNull && Has(name)))
            {
                Error(name, "This field is required.");
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, "must be a string");
            return null;
        }
        var text = value.GetString()!;
        JsonText.ThrowIfMalformed(text, name);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            Error(name, JsonText.NulError);
        }
        if (text.Length > maxLength)
        {
            Error(name, $"must be at most {maxLength} characters");
        }
        return text;
    }

    /// <summary>A positive integer id below 2^53.</summary>
    public long? Id(string name, bool required = false)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(name, "This field is required.");
            }
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id) && id > 0 && id < (1L << 53))
        {
            return id;
        }
        Error(name, "must be a positive integer id");
        return null;
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        Error(name, "must be true or false");
        return null;
    }

    /// <summary>A list of ids; at most <paramref name="maxCount"/>.</summary>
    public long[]? IdList(string name, int maxCount)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(name, "must be a list of message ids");
            return null;
        }
        if (value.GetArrayLength() > maxCount)
        {
            Error(name, $"must hold at most {maxCount} ids");
            return null;
        }
        var ids = new List<long>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var id) && id > 0 && id < (1L << 53))
            {
                ids.Add(id);
            }
            else
            {
                Error(name, "must hold positive integer ids only");
                return null;
            }
        }
        return [.. ids];
    }

    /// <summary>A non-negative integer (e.g. a seq).</summary>
    public long? Seq(string name)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seq) && seq >= 0 && seq < (1L << 53))
        {
            return seq;
        }
        Error(name, "must be a non-negative integer");
        return null;
    }

    /// <summary>The raw element of a field, or null when absent.</summary>
    public JsonElement? Raw(string name) => TryGet(name, out var value) ? value : null;

    public void Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count == 0)
        {
            return;
        }
        var first = _errors.First();
        throw new RequestProblemException(422, $"{first.Key}: {first.Value[0]}",
            _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return root is { } r && r.TryGetProperty(name, out value);
    }
}
