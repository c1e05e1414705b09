using System.Diagnostics;

namespace OrleansChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ObserverTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Observers_see_created_edited_deleted_and_read_events()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var observer = new RecordingThreadObserver();
        await observer.SubscribeTo(fixture.Client, chat.Thread);

        var sent = await chat.Send(chat.ClientUser, "hello");
        await chat.Thread.Edit(chat.ClientUser, sent.Message.Id, "hello, edited", null, false);
        await chat.Thread.MarkRead(new MarkReadCommand(chat.Freelancer, [sent.Message.Id], null));
        await chat.Thread.Delete(chat.ClientUser, sent.Message.Id);

        var events = await observer.Events.WaitUntil(e => e.OfType<MessageDeleted>().Any(), Deadline, "the delete event");
        var created = Assert.Single(events.OfType<MessageCreated>());
        Assert.Equal(sent.Message, created.Message);
        var edited = Assert.Single(events.OfType<MessageEdited>());
        Assert.Equal("hello, edited", edited.Message.Text);
        Assert.NotNull(edited.Message.EditedAt);
        var read = Assert.Single(events.OfType<MessagesRead>());
        Assert.Equal([sent.Message.Id], read.MessageIds);
        Assert.Equal(chat.Freelancer.Username, read.Reader.Username);
        var deleted = Assert.Single(events.OfType<MessageDeleted>());
        Assert.Equal((sent.Message.Id, sent.Message.Seq), (deleted.MessageId, deleted.Seq));
    }

    [Fact]
    public async Task Typing_expires_by_itself_and_observers_see_false()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var observer = new RecordingThreadObserver();
        await observer.SubscribeTo(fixture.Client, chat.Thread);

        var clock = Stopwatch.StartNew();
        await chat.Thread.Typing(chat.Freelancer, true);
        await chat.Thread.Typing(chat.Freelancer, true); // a renewal is not broadcast again

        var events = await observer.Events.WaitUntil(e => e.OfType<TypingChanged>().Any(t => !t.IsTyping), Deadline, "typing to expire");
        var typing = events.OfType<TypingChanged>().ToArray();
        Assert.Equal([true, false], typing.Select(t => t.IsTyping));
        Assert.All(typing, t => Assert.Equal(chat.Freelancer.Username, t.User.Username));
        // The spec's bound: at most 10 s after the last 'true'.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10.5));
    }

    [Fact]
    public async Task Stopping_to_type_is_broadcast_at_once()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var observer = new RecordingThreadObserver();
        await observer.SubscribeTo(fixture.Client, chat.Thread);

        await chat.Thread.Typing(chat.ClientUser, true);
        await chat.Thread.Typing(chat.ClientUser, false);

        var events = await observer.Events.WaitUntil(e => e.OfType<TypingChanged>().Count() == 2, Deadline, "typing on and off");
        Assert.Equal([true, false], events.OfType<TypingChanged>().Select(t => t.IsTyping));
    }
}
