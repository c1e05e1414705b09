using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Search;

/// <summary>Search is one read-only query: stateless, so every silo serves it locally and in parallel.</summary>
[StatelessWorker]
public sealed class SearchGrain(SearchStore store, ConversationStore conversation) : Grain, ISearchGrain
{
    public async Task<SearchPage> Search(Caller caller, SearchRequest request)
    {
        var query = request.Query.Trim();
        var length = SearchTerms.CodePoints(query);
        if (length is 0 or > SearchRequest.MaxQueryCodePoints)
        {
            throw new ChatException(ChatErrorKind.Invalid, $"Must be 1 … {SearchRequest.MaxQueryCodePoints} characters after trimming.", "q");
        }
        if (SearchTerms.ToTsQuery(query) is not { } tsQuery)
        {
            // Only punctuation: no word can match.
            return new SearchPage([], false);
        }
        var limit = Math.Clamp(request.Limit, 1, SearchRequest.MaxLimit);
        var participant = caller.IsPrivileged ? (long?)null : caller.Id;
        // One row beyond the page tells whether an older page exists.
        var rows = await store.SearchAsync(tsQuery, participant, request.ThreadId, request.BeforeId, limit + 1);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        return new SearchPage(await conversation.DecorateAsync(rows), hasMore);
    }
}
