namespace OrleansChat.WebClient.Tests;

/// <summary>A stack whose front runs as Development, shared by a test class (the Development-only endpoints exist).</summary>
public sealed class DevelopmentStack : IAsyncLifetime
{
    public ChatStack Stack { get; } = new() { Environment = "Development" };

    public Task InitializeAsync() => Stack.InitializeAsync();

    public Task DisposeAsync() => Stack.DisposeAsync();
}
