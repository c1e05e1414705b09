using System.Text;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// The conversation features of spec §7 behind all transports: reactions, edit history, delivery receipts, pins.
/// Like <see cref="ChatCommands"/>: read and check the fields, take the caller's token, let the grain authorize.
/// </summary>
public sealed class ConversationCommands(IClusterClient cluster, ChatCommands chat, SendRateLimiter limits, ParticipantCache participants)
{
    /// <summary>The most code points of one emoji.</summary>
    public const int MaxEmojiCodePoints = 8;

    /// <summary>Adds or removes the caller's reaction; answers the message's reactions as the caller sees them.</summary>
    public async Task<IReadOnlyList<ReactionJson>> ReactAsync(Caller caller, long messageId, string? emoji, bool add)
    {
        var thread = await chat.LocateAsync(messageId);
        if (EmojiProblem(emoji) is { } problem)
        {
            throw RequestProblemException.Invalid("emoji", problem);
        }
        limits.Reactions.Acquire(caller.Id);
        var reactions = await thread.React(new ReactionCommand(caller, messageId, emoji!, add));
        return ReactionJson.From(reactions, caller.Id);
    }

    /// <summary>Why <paramref name="emoji"/> is not a reaction (1 … 8 code points, no white space or control), or null.</summary>
    public static string? EmojiProblem(string? emoji)
    {
        if (string.IsNullOrEmpty(emoji))
        {
            return "must not be empty";
        }
        var count = 0;
        for (var i = 0; i < emoji.Length; i++)
        {
            if (!Rune.TryGetRuneAt(emoji, i, out var rune))
            {
                return "must be well-formed Unicode";
            }
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                return "must not contain white space or control characters";
            }
            i += rune.Utf16SequenceLength - 1;
            count++;
        }
        return count > MaxEmojiCodePoints ? $"at most {MaxEmojiCodePoints} code points" : null;
    }

    public async Task<HistoryJson> HistoryAsync(Caller caller, long messageId)
    {
        var versions = await (await chat.LocateAsync(messageId)).GetHistory(caller, messageId);
        return new HistoryJson([.. versions.Select(v => new MessageVersionJson(v.Version, v.Text, MessageJson.ParseMetadata(v.MetadataJson), v.At))]);
    }

    /// <summary>Reads <c>up_to_seq</c> (required) and moves the caller's delivered cursor (spec §7).</summary>
    public async Task<DeliveredJson> MarkDeliveredAsync(Caller caller, long threadId, FieldReader fields)
    {
        var upToSeq = fields.Seq("up_to_seq");
        if (fields.Raw("up_to_seq") is not { ValueKind: not System.Text.Json.JsonValueKind.Null })
        {
            fields.Error("up_to_seq", "This field is required.");
        }
        fields.ThrowIfInvalid();
        return await MarkDeliveredAsync(caller, threadId, upToSeq!.Value);
    }

    public async Task<DeliveredJson> MarkDeliveredAsync(Caller caller, long threadId, long upToSeq)
    {
        limits.MarkDelivered.Acquire(caller.Id);
        await participants.EnsureAsync(caller, threadId);
        return new DeliveredJson(await chat.Thread(threadId).MarkDelivered(caller, upToSeq));
    }

    /// <summary>Pins or unpins a thread for the caller only; a participant's setting (others are refused as for mute).</summary>
    public async Task SetPinnedAsync(Caller caller, long threadId, bool pinned)
    {
        var info = await chat.Thread(threadId).Authorize(caller);
        if (!info.IsParticipant(caller.Id))
        {
            throw RequestProblemException.Invalid("is_pinned", "only a participant pins a thread");
        }
        await cluster.GetGrain<IUserGrain>(caller.Id).SetPinned(threadId, pinned);
    }

    /// <summary>The view with the caller's pin (the thread grain does not know pins: they are the user's).</summary>
    public async Task<ThreadView> WithPinAsync(Caller caller, ThreadView view) =>
        view with { PinnedAt = await cluster.GetGrain<IUserGrain>(caller.Id).GetPinnedAt(view.Info.Id) };
}
