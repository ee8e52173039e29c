// getWebhookEventsV2 latency: pages of 25 from a SQLite event log of (by default) 1,000,000 events, through Herald's
// HTTP API, next to the same pages read straight from the store (no HTTP, no JSON) in the same run.
//
//   dotnet run -c Release --project bench/Herald.Bench.Events [-- --events 1000000 --walks 400 --pages 5]

using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Events;
using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;

namespace Herald.Bench.Events;

public static class EventsBench
{
    private const int Days = 27;

    public static async Task Main(string[] args)
    {
        // The host finds Herald's content root through the manifest next to this program, looked up from the current folder.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var eventCount = Arg(args, "--events", 1_000_000);
        var orgIds = Enumerable.Range(0, Arg(args, "--orgs", 10)).Select(i => $"org-{i}").ToList();
        var configsPerOrg = Arg(args, "--configs-per-org", 10);
        var walks = Arg(args, "--walks", 400);
        var pagesPerWalk = Arg(args, "--pages", 5);

        var folder = Directory.CreateTempSubdirectory("herald-bench-events-").FullName;
        try
        {
            using var host = new BenchHost(folder, orgIds);
            var clients = orgIds.ToDictionary(org => org, host.ClientFor);
            var configs = await CreateConfigsAsync(clients, configsPerOrg);

            var now = DateTimeOffset.UtcNow;
            Console.WriteLine($"Writing {eventCount:N0} events for {configs.Count} configs of {orgIds.Count} organizations ...");
            var fill = await SyntheticLog.FillAsync(host.DatabasePath, configs, eventCount, now, Days);
            var size = Directory.GetFiles(folder, "herald.db*").Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"  {fill.TotalSeconds:0.0} s ({eventCount / fill.TotalSeconds:N0} rows/s, transactions of {SyntheticLog.BatchSize:N0}); files {size / 1024.0 / 1024:N0} MiB");

            var store = new SqliteEventStore(new SqliteDatabase(new StorageOptions { DataDirectory = folder }, TimeProvider.System));
            var walker = new PageWalker(clients, configs, store, now - TimeSpan.FromDays(Days), TimeSpan.FromDays(Days), pagesPerWalk);
            Console.WriteLine("Warming up ...");
            for (var w = 0; w < 50; w++)
            {
                await walker.WalkAsync(null, null, null);
                await walker.WalkAsync("failed", null, null);
            }

            var results = new[]
            {
                new Latency("getWebhookEventsV2 over HTTP, no filter"),
                new Latency("baseline: the store alone, no filter"),
                new Latency("getWebhookEventsV2 over HTTP, status=failed"),
                new Latency("baseline: the store alone, status=failed"),
            };
            Console.WriteLine($"Measuring {walks} walks of up to {pagesPerWalk} pages each, per kind ...");
            var loadBefore = LoadAverage();
            for (var w = 0; w < walks; w++)
            {
                await walker.WalkAsync(null, results[0], results[1]);
                await walker.WalkAsync("failed", results[2], results[3]);
            }

            Console.WriteLine();
            Console.WriteLine($"{eventCount:N0} events, {configs.Count} configs ({eventCount / configs.Count:N0} events each), pages of 25; " +
                $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; " +
                $"load average {loadBefore} before the measured walks, {LoadAverage()} after");
            Console.WriteLine();
            Console.WriteLine(Latency.Header());
            foreach (var latency in results)
            {
                Console.WriteLine(latency.Row());
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<(string OrgId, string ConfigId)>> CreateConfigsAsync(IReadOnlyDictionary<string, HttpClient> clients, int perOrg)
    {
        var configs = new List<(string OrgId, string ConfigId)>();
        foreach (var (org, client) in clients)
        {
            for (var c = 0; c < perOrg; c++)
            {
                var body = $$"""{"name":"Orders to ERP {{c}}","eventName":"order_created","url":"https://erp.example/hooks"}""";
                var response = await client.PostAsync("/v1/webhooks/configs", new StringContent(body, Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
                configs.Add((org, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>()));
            }
        }
        return configs;
    }

    /// <summary>The 1-minute load average where the system tells it: other work on the machine shows in every figure.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static int Arg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}
