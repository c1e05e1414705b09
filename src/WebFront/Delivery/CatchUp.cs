namespace OrleansChat.WebFront.Delivery;

/// <summary>Every message above a seq, as the caller sees it, read page by page: one page in memory at a time.</summary>
public static class CatchUp
{
    public const int PageSize = 200;

    public static async IAsyncEnumerable<MessageView> ReadAsync(IThreadGrain thread, Caller caller, long afterSeq)
    {
        var after = Math.Max(0, afterSeq);
        while (true)
        {
            var page = await thread.GetMessages(caller, null, after, PageSize);
            foreach (var message in page.Messages)
            {
                yield return message;
            }
            if (!page.HasMore || page.Messages.Count == 0)
            {
                yield break;
            }
            after = page.Messages[^1].Message.Seq;
        }
    }
}
