namespace OrleansChat.GrainInterfaces;

/// <summary>
/// One publish of a thread grain to every subscribed front. <see cref="Number"/> counts the activation's publishes
/// (1, 2, 3 …, shared by all observers), so a front can put batches back in order: one-way calls that arrive
/// together run in any order on the receiving side. <see cref="Final"/> says the activation is going away.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.ThreadEventBatch")]
public sealed record ThreadEventBatch(
    [property: Id(0)] long ThreadId,
    [property: Id(1)] long Epoch,
    [property: Id(2)] long Number,
    [property: Id(3)] IReadOnlyList<ThreadEvent> Events,
    [property: Id(4)] bool Final);

/// <summary>
/// Where a thread's event stream stands, answered by <c>Subscribe</c> in the same grain turn that registers the
/// observer: the activation's <see cref="Epoch"/> (new on every activation), the number of its last published
/// batch and the last committed seq. Every batch after <see cref="LastBatch"/> reaches the subscriber.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.ThreadStreamPosition")]
public sealed record ThreadStreamPosition(
    [property: Id(0)] long Epoch,
    [property: Id(1)] long LastBatch,
    [property: Id(2)] long LastSeq);
