namespace OrleansChat.Grains.Tests;

/// <summary>A client and a freelancer with a thread between them: the starting point of most tests.</summary>
public sealed record ChatScenario(IClusterClient Client, Caller ClientUser, Caller Freelancer, long ThreadId)
{
    private static long _nextUserId = Random.Shared.NextInt64(1_000_000, 1_000_000_000);

    public IThreadGrain Thread => Client.GetGrain<IThreadGrain>(ThreadId);

    public static async Task<ChatScenario> CreateAsync(IClusterClient client, long? jobId = null)
    {
        var clientId = Interlocked.Increment(ref _nextUserId);
        var freelancerId = Interlocked.Increment(ref _nextUserId);
        var clientUser = new Caller(clientId, $"client{clientId}", UserRole.Client);
        var freelancer = new Caller(freelancerId, $"freelancer{freelancerId}", UserRole.Freelancer);
        await client.GetGrain<IUserGrain>(clientId).RecordProfile(new UserProfile(clientId, clientUser.Username, UserRole.Client, "Test Company", null, null));
        await client.GetGrain<IUserGrain>(freelancerId).RecordProfile(new UserProfile(freelancerId, freelancer.Username, UserRole.Freelancer, null, "Web Developer", "50.00"));
        var created = await client.GetGrain<IThreadDirectoryGrain>(IThreadDirectoryGrain.KeyFor(clientId, freelancerId, jobId)).GetOrCreate();
        return new ChatScenario(client, clientUser, freelancer, created.ThreadId);
    }

    public Task<SendResult> Send(Caller sender, string text, string? clientMessageId = null) =>
        Thread.Send(new SendCommand(sender, text, "text", null, clientMessageId));

    /// <summary>Every message of the thread, read through the grain's paging (ascending, by 'after').</summary>
    public async Task<List<MessageView>> ReadAllAsync(Caller viewer, int pageSize = 137)
    {
        var all = new List<MessageView>();
        long after = 0;
        while (true)
        {
            var page = await Thread.GetMessages(viewer, null, after, pageSize);
            all.AddRange(page.Messages);
            if (!page.HasMore)
            {
                return all;
            }
            after = page.Messages[^1].Message.Seq;
        }
    }
}
