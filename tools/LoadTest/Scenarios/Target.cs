using OrleansChat.LoadTest.Server;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>What a phase runs against: the chat stack, or the bare hub baseline (same clients, same shape).</summary>
public sealed class Target(string name, IReadOnlyList<Uri> fronts, IReadOnlyList<WatchedProcess> processes, bool isChat)
{
    public string Name { get; } = name;

    public IReadOnlyList<Uri> Fronts { get; } = fronts;

    public IReadOnlyList<WatchedProcess> Processes { get; } = processes;

    /// <summary>The chat stack: real users, threads and durable sends. Otherwise thread ids are made up.</summary>
    public bool IsChat { get; } = isChat;

    public Uri FrontFor(int index) => Fronts[index % Fronts.Count];
}
