using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansChat.ChatClients;
using OrleansChat.LoadTest.Server;
using OrleansChat.ToolKit.Cli;
using OrleansChat.UploadBench;

// The front's memory while it takes many large uploads at once (spec §8: uploads are streamed, never buffered
// whole). Samples the front's RSS from /proc every 20 ms: before, at the peak while the uploads run, and after.
if (ToolArgs.WantsHelp(args))
{
    Console.WriteLine("""
        Usage: UploadBench --front URL --pid PID [--jwt-key KEY] [--files 10] [--mib 25] [--rounds 3] [--out DIR]
        Uploads FILES files of MIB MiB each (25 MiB = 26,214,400 bytes, the limit) at once, ROUNDS times, into one
        thread, and reports the front's RSS before, at its peak and after (MiB, from /proc/PID/status).
        """);
    return 0;
}
var options = ToolArgs.Parse(args, ["--front", "--pid", "--jwt-key", "--files", "--mib", "--rounds", "--out"]);
var front = options.Uris("--front")?[0] ?? new Uri("http://127.0.0.1:5080/");
var pid = options.Int("--pid") ?? throw new ArgumentException("--pid is required (the front's process id)");
var files = options.Int("--files") ?? 10;
var size = Math.Min((options.Long("--mib") ?? 25) * 1024 * 1024, 26_214_400);
var rounds = options.Int("--rounds") ?? 3;
var minter = new TokenMinter(options.String("--jwt-key") ?? TokenMinter.DevelopmentKey);

var userBase = Random.Shared.NextInt64(1L << 30, 1L << 40);
var client = minter.Mint(userBase, $"bench-client-{userBase}", "client");
var freelancer = minter.Mint(userBase + 1, $"bench-freelancer-{userBase + 1}", "freelancer");
using var http = new HttpClient { BaseAddress = front, Timeout = TimeSpan.FromMinutes(10) };
await Send(freelancer, HttpMethod.Get, "api/chat/users/me/", null);
var thread = await Send(client, HttpMethod.Post, "api/chat/threads/", JsonContent.Create(new { client = userBase, freelancer = userBase + 1, job = (long?)null }));
var threadId = thread.GetProperty("id").GetInt64();

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"# Upload memory {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"{files} uploads of {size:N0} bytes at once into one thread, {rounds} rounds; front pid {pid} at {front}; RSS sampled every 20 ms.")
    .AppendLine()
    .AppendLine("| round | RSS before MiB | peak MiB | rise MiB | after MiB | wall s | MiB/s in |")
    .AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
for (var round = 1; round <= rounds; round++)
{
    var before = ProcReader.RssMb(pid) ?? throw new InvalidOperationException($"no process {pid}");
    var peak = before;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, ProcReader.RssMb(pid) ?? 0);
            await Task.Delay(20, CancellationToken.None);
        }
    });
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, files).Select(i => Upload(i)));
    var wall = clock.Elapsed.TotalSeconds;
    await sampling.CancelAsync();
    await sampler;
    var after = ProcReader.RssMb(pid) ?? 0;
    var row = string.Create(CultureInfo.InvariantCulture,
        $"| {round} | {before:F1} | {peak:F1} | {peak - before:F1} | {after:F1} | {wall:F1} | {files * size / 1048576.0 / wall:F0} |");
    Console.WriteLine(row);
    report.AppendLine(row);
}
var outDir = options.String("--out") ?? ".";
Directory.CreateDirectory(outDir);
var path = Path.Combine(outDir, $"uploads-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
await File.WriteAllTextAsync(path, report.ToString());
Console.WriteLine($"report: {path}");
return 0;

async Task Upload(int index)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, $"api/chat/threads/{threadId}/attachments/") { Content = new GeneratedFile(size, $"bench-{index}.bin") };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client);
    using var response = await http.SendAsync(request);
    if ((int)response.StatusCode != 201)
    {
        throw new InvalidOperationException($"upload {index} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

async Task<JsonElement> Send(string token, HttpMethod method, string path, HttpContent? content)
{
    using var request = new HttpRequestMessage(method, path) { Content = content };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var response = await http.SendAsync(request);
    var body = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.Clone() : throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {body}");
}
