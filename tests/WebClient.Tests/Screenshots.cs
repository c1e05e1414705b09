namespace OrleansChat.WebClient.Tests;

/// <summary>
/// Where the flow test saves its screenshots: CHAT_SCREENSHOTS_DIR when set (docs/screenshots is refreshed with
/// it), else a folder beside the test assembly, so an ordinary test run never changes the work tree.
/// </summary>
internal static class Screenshots
{
    public static string Path(string name)
    {
        var folder = Environment.GetEnvironmentVariable("CHAT_SCREENSHOTS_DIR") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return System.IO.Path.Combine(folder, name);
    }
}
