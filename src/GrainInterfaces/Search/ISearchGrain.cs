namespace OrleansChat.GrainInterfaces;

/// <summary>
/// Full-text search over messages (spec §8). Stateless: every silo runs as many as it needs, each call is one
/// database query restricted to the caller's threads (service and admin: all threads).
/// </summary>
[Alias("chat.ISearchGrain")]
public interface ISearchGrain : IGrainWithIntegerKey
{
    [Alias("Search")]
    Task<SearchPage> Search(Caller caller, SearchRequest request);
}

/// <summary>
/// <see cref="Query"/> is the user's text, trimmed, 1 … <see cref="MaxQueryCodePoints"/> code points; <see cref="ThreadId"/>
/// narrows to one thread; <see cref="BeforeId"/> pages by message id; <see cref="Limit"/> is already clamped.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.SearchRequest")]
public sealed record SearchRequest(
    [property: Id(0)] string Query,
    [property: Id(1)] long? ThreadId,
    [property: Id(2)] long? BeforeId,
    [property: Id(3)] int Limit)
{
    public const int MaxQueryCodePoints = 200;
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;
}

/// <summary>Matching messages, newest (highest id) first; <see cref="HasMore"/> when older matches exist.</summary>
[GenerateSerializer, Immutable, Alias("chat.SearchPage")]
public sealed record SearchPage([property: Id(0)] IReadOnlyList<ChatMessage> Results, [property: Id(1)] bool HasMore);
