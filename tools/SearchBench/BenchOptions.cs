using OrleansChat.ToolKit.Cli;

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
        var a = ToolArgs.Parse(args, ["--db", "--database", "--messages", "--threads", "--iterations", "--out"], ["--reseed"]);
        return new BenchOptions(
            a.String("--db") ?? throw new ArgumentException("--db is required"),
            a.String("--database") ?? "orleanschat_search_bench",
            a.Int("--messages") ?? 1_000_000,
            a.Int("--threads") ?? 10_000,
            a.Int("--iterations") ?? 200,
            a.Flag("--reseed"),
            a.String("--out") ?? ".chat/bench");
    }
}
