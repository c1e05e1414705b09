using System.Text.Json;

namespace OrleansChat.WebFront.Chat;

/// <summary>Reads a send's <c>attachments</c> (spec §8): a list of at most ten different upload ids.</summary>
public static class AttachmentFields
{
    public const string Name = "attachments";

    /// <summary>The ids in the order sent; empty when absent or null. Errors go to <paramref name="fields"/>.</summary>
    public static long[] Read(FieldReader fields)
    {
        if (fields.Raw(Name) is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            fields.Error(Name, "must be a list of upload ids");
            return [];
        }
        if (value.GetArrayLength() > AttachmentLimits.MaxPerMessage)
        {
            fields.Error(Name, $"at most {AttachmentLimits.MaxPerMessage} uploads per message");
            return [];
        }
        var ids = new List<long>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var id) || id <= 0 || id >= 1L << 53)
            {
                fields.Error(Name, "must hold positive integer upload ids only");
                return [];
            }
            if (ids.Contains(id))
            {
                fields.Error(Name, "must not name an upload twice");
                return [];
            }
            ids.Add(id);
        }
        return [.. ids];
    }
}
