
namespace OrleansChat.LoadTest.Scenarios;

/// <summary>Connection layouts shared by the scenarios.</summary>
public static class Layouts
{
    /// <summary>Both participants of every thread, each with one connection joined to it, spread over the fronts.</summary>
    public static List<ConnectRequest> Participants(Target target, IReadOnlyList<SimThread> threads)
    {
        var requests = new List<ConnectRequest>(threads.Count * 2);
        foreach (var t in threads)
        {
            requests.Add(new ConnectRequest(target.FrontFor(requests.Count), t.Client.Id, t.Client.Token, t.Id, true));
            requests.Add(new ConnectRequest(target.FrontFor(requests.Count), t.Freelancer.Id, t.Freelancer.Token, t.Id, true));
        }
        return requests;
    }

    /// <summary>Every open connection as a sender into its thread.</summary>
    public static List<SenderSlot> Senders(IReadOnlyList<ConnectRequest> requests, IChatConnection?[] connections) =>
        [.. requests.Select((r, i) => (r, c: connections[i])).Where(x => x.c is not null).Select(x => new SenderSlot(x.c!, x.r.ThreadId))];

    public static DriveSpec Spec(LoadTestOptions o, double? rate = null, double? rampTo = null, int? inFlight = null, double windowSeconds = 0) => new()
    {
        Rate = rate,
        RampTo = rate is null ? null : rampTo,
        InFlight = inFlight ?? o.InFlight,
        Warmup = o.Warmup,
        Duration = o.Duration,
        MessageBytes = o.MessageBytes,
        WindowSeconds = windowSeconds,
    };
}
