using Microsoft.Net.Http.Headers;

namespace OrleansChat.WebFront.Attachments;

/// <summary>What a download answers: the whole file (200), one part of it (206), or nothing of it (416).</summary>
public readonly record struct RangeAnswer(RangeKind Kind, long From, long Length)
{
    public static RangeAnswer Whole(long size) => new(RangeKind.Whole, 0, size);
}

public enum RangeKind
{
    Whole,
    Partial,
    Unsatisfiable,
}

/// <summary>
/// RFC 9110 §14 for one resource: a single <c>bytes</c> range (first-last, first-, or a suffix -n) is answered; a
/// header that does not parse, another unit, several ranges, or an <c>If-Range</c> that no longer matches fall back
/// to the whole file, as the RFC allows; a range starting at or past the end is unsatisfiable.
/// </summary>
public static class ByteRanges
{
    public static RangeAnswer Evaluate(string? range, string? ifRange, string entityTag, long size)
    {
        if (string.IsNullOrEmpty(range) || !RangeHeaderValue.TryParse(range, out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
        {
            return RangeAnswer.Whole(size);
        }
        if (!string.IsNullOrEmpty(ifRange) && ifRange != entityTag)
        {
            return RangeAnswer.Whole(size);
        }
        var only = parsed.Ranges.Single();
        if (only.From is { } from)
        {
            if (from >= size)
            {
                return new RangeAnswer(RangeKind.Unsatisfiable, 0, 0);
            }
            var last = Math.Min(only.To ?? size - 1, size - 1);
            return new RangeAnswer(RangeKind.Partial, from, last - from + 1);
        }
        var suffix = only.To ?? 0;
        if (suffix == 0 || size == 0)
        {
            return new RangeAnswer(RangeKind.Unsatisfiable, 0, 0);
        }
        var start = Math.Max(0, size - suffix);
        return new RangeAnswer(RangeKind.Partial, start, size - start);
    }
}
