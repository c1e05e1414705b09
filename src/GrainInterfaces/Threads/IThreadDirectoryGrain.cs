namespace OrleansChat.GrainInterfaces;

/// <summary>
/// The uniqueness guard for one (client, freelancer, job) triple: at most one active thread exists for it.
/// Key: <see cref="KeyFor"/>.
/// </summary>
[Alias("chat.IThreadDirectoryGrain")]
public interface IThreadDirectoryGrain : IGrainWithStringKey
{
    [Alias("GetOrCreate")]
    Task<CreateThreadResult> GetOrCreate();

    [Alias("FindActive")]
    Task<long?> FindActive();

    public static string KeyFor(long clientId, long freelancerId, long? jobId) =>
        $"{clientId}/{freelancerId}/{(jobId is { } j ? j.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}";
}
