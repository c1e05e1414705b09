using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrleansChat.Grains.Search;
using OrleansChat.Grains.Storage;
using OrleansChat.SearchBench;

if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
var options = BenchOptions.Parse(args);
var connectionString = await BenchDatabase.PrepareAsync(options);
var cases = await QueryCases.LoadAsync(connectionString);
await using var dataSource = ChatDataSource.CreateForSearch(connectionString);
var store = new SearchStore(dataSource);
// The API's default page (20) plus the one row that tells whether more exist.
const int Limit = 21;
var random = new Random(17);
var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
var all = cases.All();
var timings = all.Select(_ => new List<double>(options.Iterations)).ToArray();
var found = new long[all.Count];
// Round robin over the cases, so that whatever else the machine does falls on all of them alike; the first
// rounds warm the caches and are not counted.
const int WarmupRounds = 20;
for (var round = -WarmupRounds; round < options.Iterations; round++)
{
    for (var c = 0; c < all.Count; c++)
    {
        var (text, participant, thread) = all[c].Draw(random);
        var clock = Stopwatch.StartNew();
        var results = await store.SearchAsync(SearchTerms.ToTsQuery(text)!, participant, thread, null, Limit);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (round >= 0)
        {
            timings[c].Add(elapsed);
            found[c] += results.Count;
        }
    }
}
var rows = new List<string>();
for (var c = 0; c < all.Count; c++)
{
    var sorted = timings[c].Order().ToList();
    var row = string.Create(CultureInfo.InvariantCulture,
        $"| {all[c].Name} | {Percentile(sorted, 0.50):F1} | {Percentile(sorted, 0.99):F1} | {sorted[^1]:F1} | {(double)found[c] / sorted.Count:F1} |");
    Console.WriteLine(row);
    rows.Add(row);
}
var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[0];
var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# Search benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"{options.Messages:N0} messages over {options.Threads:N0} threads (database {options.Database}); {options.Iterations} queries per case (after {WarmupRounds} unmeasured rounds), one at a time, round robin over the cases, limit 21; {Environment.ProcessorCount} CPUs, load average {loadBefore} before and {loadAfter} after.")
    .AppendLine()
    .AppendLine("| case | p50 ms | p99 ms | max ms | results (mean) |")
    .AppendLine("|---|---:|---:|---:|---:|");
rows.ForEach(r => report.AppendLine(r));
Directory.CreateDirectory(options.OutDir);
var path = Path.Combine(options.OutDir, $"search-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
await File.WriteAllTextAsync(path, report.ToString());
Console.WriteLine($"report: {path}");
return 0;

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
