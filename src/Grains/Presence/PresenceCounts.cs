namespace OrleansChat.Grains.Presence;

/// <summary>What a front's report means for one user's counts.</summary>
public enum ReportKind
{
    /// <summary>The front's lease ended: it must take a new id and report again.</summary>
    Refused,

    /// <summary>Older than what this front already reported: ignored.</summary>
    Stale,

    /// <summary>A new count for this front.</summary>
    Applies,
}

/// <summary>
/// One user's open connections per front, each with the version of the front's report (pure logic, no storage).
/// Online = any live front counts a connection. A front declared dead is remembered, so a late report from it
/// cannot bring its connections back.
/// </summary>
public sealed class PresenceCounts
{
    private readonly Dictionary<string, (int Connections, long Version)> _fronts = [];
    private readonly HashSet<string> _lost = [];

    public bool IsOnline => _fronts.Values.Any(f => f.Connections > 0);

    public int Connections(string frontId) => _fronts.TryGetValue(frontId, out var front) ? front.Connections : 0;

    public ReportKind Classify(string frontId, long version) =>
        _lost.Contains(frontId) ? ReportKind.Refused
        : _fronts.TryGetValue(frontId, out var known) && known.Version >= version ? ReportKind.Stale
        : ReportKind.Applies;

    /// <summary>Whether setting <paramref name="frontId"/>'s count to <paramref name="connections"/> leaves the user with none anywhere.</summary>
    public bool LeavesOffline(string frontId, int connections) =>
        connections == 0 && !_fronts.Any(f => f.Key != frontId && f.Value.Connections > 0);

    /// <summary>Takes a report (or a stored row). A zero is kept with its version, so an older report stays stale.</summary>
    public void Apply(string frontId, int connections, long version) => _fronts[frontId] = (connections, version);

    /// <summary>The front was declared dead: its connections are closed, and it is never counted again. True if it counted any.</summary>
    public bool Lose(string frontId)
    {
        _lost.Add(frontId);
        return _fronts.Remove(frontId, out var front) && front.Connections > 0;
    }

    public bool IsLost(string frontId) => _lost.Contains(frontId);
}
