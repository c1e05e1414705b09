using OrleansChat.Grains.Threads;
using ThreadState = OrleansChat.Grains.Threads.ThreadState;

namespace OrleansChat.UnitTests.Threads;

/// <summary>Spec §6's read rule: a cursor plus ids read one by one, and unread counts that follow them.</summary>
public sealed class ReadStateTests
{
    private const long Client = 1, Freelancer = 2;
    private readonly ThreadState _persisted = new();
    private readonly ReadState _read;

    public ReadStateTests()
    {
        _read = new ReadState(() => _persisted);
        _read.AddParticipant(Client);
        _read.AddParticipant(Freelancer);
    }

    private static ChatMessage Message(long seq, long sender, bool deleted = false) =>
        new(100 + seq, 9, seq, new UserRef(sender, $"user{sender}"), "hi", MessageTypes.Text, null, DateTime.UnixEpoch, null, deleted, null);

    [Fact]
    public void A_message_is_unread_for_everyone_but_its_sender()
    {
        _read.Sent(Message(1, Client));
        _read.Sent(Message(2, Client));
        _read.Sent(Message(3, Freelancer));

        Assert.Equal((1, 2), (_read.Unread(Client), _read.Unread(Freelancer)));
    }

    [Fact]
    public void The_cursor_only_moves_forward_and_prunes_ids_read_one_by_one()
    {
        Assert.True(_read.MarkOne(Freelancer, Message(5, Client)));
        Assert.True(_read.MarkOne(Freelancer, Message(9, Client)));

        Assert.Equal((0L, 6L), _read.MoveCursor(Freelancer, 6));
        Assert.Equal((6L, 6L), _read.MoveCursor(Freelancer, 3));
        Assert.Equal([109L], _persisted.Participants[Freelancer].ReadAbove.Keys);
    }

    [Fact]
    public void Own_deleted_and_already_read_messages_are_not_marked_again()
    {
        _read.MoveCursor(Freelancer, 4);

        Assert.False(_read.MarkOne(Freelancer, Message(7, Freelancer)));
        Assert.False(_read.MarkOne(Freelancer, Message(8, Client, deleted: true)));
        Assert.False(_read.MarkOne(Freelancer, Message(3, Client)));
        Assert.True(_read.MarkOne(Freelancer, Message(8, Client)));
        Assert.False(_read.MarkOne(Freelancer, Message(8, Client)));
    }

    [Fact]
    public void Deleting_an_unread_message_takes_it_off_the_count_once_and_never_below_zero()
    {
        var read = Message(1, Client);
        var unread = Message(2, Client);
        _read.Sent(read);
        _read.Sent(unread);
        _read.MoveCursor(Freelancer, 1);
        _read.Read(Freelancer, 1);

        _read.Deleted(read);
        Assert.Equal(1, _read.Unread(Freelancer));
        _read.Deleted(unread);
        Assert.Equal(0, _read.Unread(Freelancer));
        Assert.Equal(0, _read.Read(Freelancer, 5));
    }

    [Fact]
    public void Is_read_is_the_other_side_for_own_messages_and_the_viewer_for_others()
    {
        var fromClient = Message(3, Client);
        Assert.False(_read.IsRead(Client, fromClient));
        Assert.False(_read.IsRead(Freelancer, fromClient));

        _read.MoveCursor(Freelancer, 3);

        Assert.True(_read.IsRead(Client, fromClient));
        Assert.True(_read.IsRead(Freelancer, fromClient));
        Assert.True(_read.IsRead(99, fromClient)); // an admin sees whether the participants read it
    }

    [Fact]
    public void State_replaced_by_storage_is_what_it_reads()
    {
        var replaced = new ThreadState();
        var current = _persisted;
        var read = new ReadState(() => current);
        current = replaced;
        read.AddParticipant(Client);

        Assert.True(replaced.Participants.ContainsKey(Client));
    }
}
