namespace OrleansChat.ChatClients;

public sealed record SimUser(long Id, string Username, string Role, string Token);

/// <summary>A thread between a client and a freelancer (ids are real on the chat stack, made up on the bare hub).</summary>
public sealed record SimThread(long Id, SimUser Client, SimUser Freelancer);

/// <summary>User ids for one run: a random block below 2^53, so runs sharing a database never collide.</summary>
public sealed class UserFactory(TokenMinter tokens)
{
    /// <summary>Each run's block holds 10^9 ids: this factory counts up from its start, child processes take theirs from the upper half.</summary>
    public const long BlockSize = 1_000_000_000L;

    private readonly long _base = Random.Shared.NextInt64(1, 1L << 20) * BlockSize;
    private long _next;

    /// <summary>The first id of child process <paramref name="child"/>'s range (10^6 ids each), never one this factory hands out.</summary>
    public long ChildRangeStart(int child) => _base + (BlockSize / 2) + (child * 1_000_000L);

    public SimUser Create(string role)
    {
        var id = _base + Interlocked.Increment(ref _next);
        var username = $"lt{role[0]}{id}";
        return new SimUser(id, username, role, tokens.Mint(id, username, role));
    }
}
