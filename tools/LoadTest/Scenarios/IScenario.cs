namespace OrleansChat.LoadTest.Scenarios;

public interface IScenario
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(ScenarioContext context, CancellationToken ct);
}

public static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new ManyThreadsScenario(),
        new HotThreadScenario(),
        new FanoutScenario(),
        new IdleConnectionsScenario(),
        new HistoryScenario(),
        new SoakScenario(),
    ];

    public static IScenario Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown scenario '{name}' (one of: {string.Join(", ", All.Select(s => s.Name))})");
}
