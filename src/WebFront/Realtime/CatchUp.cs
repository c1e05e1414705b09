using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Realtime;

/// <summary>Reads every message above a seq, page by page, for a reconnecting client.</summary>
public static class CatchUp
{
    public static async Task<IReadOnlyList<MessageJson>> ReadAsync(IThreadGrain thread, Caller caller, long afterSeq, int max)
    {
        var messages = new List<MessageJson>();
        var after = Math.Max(0, afterSeq);
        while (messages.Count < max)
        {
            var page = await thread.GetMessages(caller, null, after, 200);
            messages.AddRange(page.Messages.Select(MessageJson.From));
            if (!page.HasMore || page.Messages.Count == 0)
            {
                break;
            }
            after = page.Messages[^1].Message.Seq;
        }
        return messages;
    }
}
