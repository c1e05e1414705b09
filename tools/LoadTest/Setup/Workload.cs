namespace OrleansChat.LoadTest.Setup;

public sealed record SimUser(long Id, string Username, string Role, string Token);

/// <summary>A thread between a client and a freelancer (ids are real on the chat stack, made up on the bare hub).</summary>
public sealed record SimThread(long Id, SimUser Client, SimUser Freelancer);

/// <summary>User ids for one run: a random block below 2^53, so runs sharing a database never collide.</summary>
public sealed class UserFactory(TokenMinter tokens)
{
    private readonly long _base = Random.Shared.NextInt64(1, 1L << 20) * 1_000_000_000L;
    private long _next;

    public SimUser Create(string role)
    {
        var id = _base + Interlocked.Increment(ref _next);
        var username = $"lt{role[0]}{id}";
        return new SimUser(id, username, role, tokens.Mint(id, username, role));
    }
}
