namespace OrleansChat.GrainInterfaces;

[GenerateSerializer, Immutable, Alias("chat.InboxPage")]
public sealed record InboxPage([property: Id(0)] int Count, [property: Id(1)] IReadOnlyList<ThreadView> Threads);

[GenerateSerializer, Immutable, Alias("chat.ThreadUnread")]
public sealed record ThreadUnread([property: Id(0)] long ThreadId, [property: Id(1)] int UnreadCount);

[GenerateSerializer, Immutable, Alias("chat.UnreadSummary")]
public sealed record UnreadSummary([property: Id(0)] int Total, [property: Id(1)] IReadOnlyList<ThreadUnread> Threads);
