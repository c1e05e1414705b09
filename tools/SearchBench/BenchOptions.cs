using System.Globalization;

namespace OrleansChat.SearchBench;

/// <summary>Command line of the search benchmark.</summary>
internal sealed record BenchOptions(string ServerConnectionString, string Database, int Messages, int Threads, int Iterations, bool Reseed, string OutDir)
{
    public const string Usage = """
        Usage: SearchBench --db <connection string> [--database orleanschat_search_bench] [--messages 1000000]
                           [--threads 10000] [--iterations 200] [--reseed] [--out .chat/bench]

        Creates (once) a separate benchmark database with the project's migrations and N messages over M threads,
        generated inside PostgreSQL, then measures the silo's search query (SearchStore) for typical queries,
        one at a time, and writes p50/p99 per case as Markdown. The data is kept for the next run (--reseed
        regenerates it); the chat's own database is never touched.
        """;

    public static BenchOptions Parse(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Arg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            Arg("--db") ?? throw new ArgumentException("--db is required"),
            Arg("--database") ?? "orleanschat_search_bench",
            Int("--messages", 1_000_000),
            Int("--threads", 10_000),
            Int("--iterations", 200),
            args.Contains("--reseed"),
            Arg("--out") ?? ".chat/bench");
    }
}
