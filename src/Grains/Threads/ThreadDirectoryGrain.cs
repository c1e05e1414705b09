using System.Globalization;
using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Threads;

/// <summary>
/// Serializes thread creation for one (client, freelancer, job) triple. It keeps no state of its own: the partial
/// unique index in PostgreSQL is the guard that survives every failure; this grain only keeps racing creators
/// from hitting it.
/// </summary>
public sealed class ThreadDirectoryGrain(ThreadStore threads) : Grain, IThreadDirectoryGrain
{
    public async Task<CreateThreadResult> GetOrCreate()
    {
        var (clientId, freelancerId, jobId) = ParseKey(this.GetPrimaryKeyString());
        var (id, created) = await threads.GetOrCreateAsync(clientId, freelancerId, jobId);
        if (created)
        {
            await GrainFactory.GetGrain<IThreadGrain>(id).Announce();
        }
        return new CreateThreadResult(id, created);
    }

    public Task<long?> FindActive()
    {
        var (clientId, freelancerId, jobId) = ParseKey(this.GetPrimaryKeyString());
        return threads.FindActiveAsync(clientId, freelancerId, jobId);
    }

    private static (long ClientId, long FreelancerId, long? JobId) ParseKey(string key)
    {
        var parts = key.Split('/');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture),
            parts[2] == "-" ? null : long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
