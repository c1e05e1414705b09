namespace OrleansChat.TestSupport;

public static class TestRedis
{
    /// <summary>The project's Redis: CHAT_TEST_REDIS (set by ./chatctl test), or the project-local default.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("CHAT_TEST_REDIS") is { Length: > 0 } value ? value : "127.0.0.1:16379";

    /// <summary>A cluster id no other test run shares, so membership tables never mix.</summary>
    public static string NewClusterId() => "test-" + Guid.NewGuid().ToString("N")[..10];
}
