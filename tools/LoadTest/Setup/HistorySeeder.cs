namespace OrleansChat.LoadTest.Setup;

/// <summary>
/// Fills one thread with a long history through the REST API, as real clients would write it (so a schema change
/// cannot leave the benchmark writing rows the product no longer reads). Both participants send, many sends in
/// flight; the seeded thread is remembered in the output folder and reused by later runs while its last seq says
/// it still holds enough messages.
/// </summary>
public static class HistorySeeder
{
    private const int InFlight = 32; // ChatProvisioner's connection limit (SetupConcurrency)

    public sealed record Seeded(long ThreadId, long ClientId, string ClientUsername, long FreelancerId, string FreelancerUsername, long Messages);

    public static async Task<Seeded?> FindReusableAsync(ChatProvisioner chat, TokenMinter tokens, string stateFile, long messages, CancellationToken ct)
    {
        if (!File.Exists(stateFile) || JsonSerializer.Deserialize<Seeded>(await File.ReadAllTextAsync(stateFile, ct)) is not { } seeded)
        {
            return null;
        }
        var client = new SimUser(seeded.ClientId, seeded.ClientUsername, "client", tokens.Mint(seeded.ClientId, seeded.ClientUsername, "client"));
        // Another stack (a fresh database) does not know the thread: seed again.
        return await chat.LastSeqAsync(client, seeded.ThreadId, ct) is { } last && last >= messages ? seeded with { Messages = last } : null;
    }

    public static async Task SeedAsync(ChatProvisioner chat, SimThread thread, long messages, Action<long> progress, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        long next = 0, done = 0;
        var workers = Enumerable.Range(0, InFlight).Select(async _ =>
        {
            long n;
            while ((n = Interlocked.Increment(ref next)) <= messages)
            {
                var sender = n % 2 == 0 ? thread.Client : thread.Freelancer;
                await chat.SendAsync(sender, thread.Id, $"history message {n}", $"seed-{run}-{n}", ct);
                if (Interlocked.Increment(ref done) % 100_000 == 0)
                {
                    progress(Volatile.Read(ref done));
                }
            }
        });
        await Task.WhenAll(workers);
        progress(messages);
    }
}
