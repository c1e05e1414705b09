namespace OrleansChat.Grains.Threads;

/// <summary>Attachments on sends (spec §8): which uploads a send may attach; the link itself commits with the message.</summary>
public sealed partial class ThreadGrain
{
    /// <summary>
    /// The uploads a send attaches, checked (at most ten, each a completed upload of the sender in this thread that no
    /// message carries yet), or the original message when the send is a retry whose original, committed before this
    /// activation, already attached them: a known client_message_id answers before attachments are checked (spec §7).
    /// </summary>
    private async Task<(IReadOnlyList<AttachmentInfo>? Attachments, SendResult? Original)> CheckAttachmentsAsync(SendCommand command)
    {
        if (command.Attachments is not { Count: > 0 } ids)
        {
            return (null, null);
        }
        if (ids.Count > AttachmentLimits.MaxPerMessage || ids.Distinct().Count() != ids.Count)
        {
            throw new ChatException(ChatErrorKind.Invalid, $"at most {AttachmentLimits.MaxPerMessage} different uploads", "attachments");
        }
        try
        {
            return (await attachmentLinks.CheckAttachableAsync(ThreadId, command.Sender.Id, ids), null);
        }
        catch (ChatException refused) when (refused.Kind == ChatErrorKind.Invalid && command.ClientMessageId is { } clientId)
        {
            var stored = await messages.FindByClientIdsAsync(ThreadId, [command.Sender.Id], [clientId]);
            if (stored.Count == 0)
            {
                throw;
            }
            RecentIds.Remember(stored[0].Sender.Id, clientId, stored[0].Id, stored[0].Seq);
            return (null, new SendResult(await conversation.DecorateAsync(stored[0]), false));
        }
    }
}
