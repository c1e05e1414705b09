namespace OrleansChat.WebFront.Tests;

/// <summary>Spec §6 on one connection: every expected seq arrived, exactly once, in increasing order.</summary>
public static class SeqOrder
{
    public static IReadOnlyList<long> Seqs(IEnumerable<JsonElement> messages) => [.. messages.Select(m => m.GetProperty("seq").GetInt64())];

    /// <summary>A description of what is wrong with <paramref name="received"/>, or null when it is in order and complete.</summary>
    public static string? Problem(IReadOnlyList<long> received, IEnumerable<long> expected, string who)
    {
        for (var i = 1; i < received.Count; i++)
        {
            if (received[i] <= received[i - 1])
            {
                return $"{who}: seq {received[i]} after {received[i - 1]} (position {i}) in [{string.Join(",", received)}]";
            }
        }
        var missing = expected.Except(received).Order().ToArray();
        return missing.Length == 0 ? null : $"{who}: missing [{string.Join(",", missing)}] of [{string.Join(",", received)}]";
    }

    public static bool Covers(IReadOnlyList<long> received, IEnumerable<long> expected) => !expected.Except(received).Any();
}
