using System.Globalization;
using System.Reflection;
using Herald.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length > 0 && args[0] == "relay")
{
    return await Relay.RunAsync(args[1..]);
}

if (args.Length == 0 || args[0] != "delivery")
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args[1..]);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var metadata = typeof(DeliveryBenchmark).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
var configuration = metadata.GetValueOrDefault("BuildConfiguration");
if (configuration != "Release" && options.ServerDirectory is null)
{
    Console.Error.WriteLine($"This is a {configuration} build: measure Release only (dotnet run -c Release --project bench/Herald.Bench -- delivery).");
    return 2;
}
var serverDirectory = Path.GetFullPath(options.ServerDirectory ?? metadata["HeraldServerDirectory"]!);
if (options.Engines.Contains(Engine.Postgres) && PostgresInstance.FindBinaries() is null)
{
    Console.Error.WriteLine("--engine postgres needs the PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql-15).");
    return 2;
}

// Ctrl+C stops the run but lets every finally block kill Herald and PostgreSQL.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

Console.WriteLine($"Herald delivery benchmark: {options.Events} events, concurrency {options.Concurrency}, {options.SyncRequests} sequential sync requests, " +
    $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");

var results = new List<EngineResult>();
FloorResult? floor = null;
if (options.Nodes.Count > 0)
{
    await using var receiver = await CountingReceiver.StartAsync();
    var benchmark = new DeliveryBenchmark(options, receiver, serverDirectory);
    var scaleOut = new List<ScaleOutResult>();
    foreach (var count in options.Nodes)
    {
        Console.WriteLine($"{count} node(s):");
        if (await RunStepAsync($"{count} node(s)", async () => scaleOut.Add(await benchmark.RunNodesAsync(count, interrupted.Token))) is { } failed)
        {
            return failed;
        }
    }
    DeliveryBenchmark.PrintScaleOut(scaleOut, options);
    Console.WriteLine($"load average at the end: {LoadAverage()} (on {Environment.ProcessorCount} cores)");
    return 0;
}
FloorParts? parts = null;
await using (var receiver = await CountingReceiver.StartAsync())
{
    var benchmark = new DeliveryBenchmark(options, receiver, serverDirectory);
    foreach (var engine in options.Engines)
    {
        Console.WriteLine($"{engine}:");
        if (await RunStepAsync(engine.ToString(), async () => results.Add(await benchmark.RunAsync(engine, interrupted.Token))) is { } failed)
        {
            return failed;
        }
    }
    // Last, when this process's client and receiver code is as warm as for the engines' baselines.
    Console.WriteLine("Floor (a bare relay):");
    if (await RunStepAsync("The bare relay", async () => floor = await benchmark.RunFloorAsync(interrupted.Token)) is { } relayFailed)
    {
        return relayFailed;
    }
    // The floors benchmark's parts, in the same run: the ceiling Herald's ratio is measured against.
    Console.WriteLine("Floors (the parts every delivery must do):");
    if (await RunStepAsync("The floors benchmark", async () => parts = await FloorsStep.RunAsync(metadata["FloorsDirectory"]!, options.Events, options.Concurrency, interrupted.Token)) is { } floorsFailed)
    {
        return floorsFailed;
    }
}

Report.Print(results, floor!, parts!, options);
// Other work on the machine takes cores from both sides of the comparison, but not evenly: say how busy it was.
Console.WriteLine($"load average at the end: {LoadAverage()} (on {Environment.ProcessorCount} cores; figures taken on a busy machine are not comparable)");
return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

// Runs one part of the benchmark; null when it went through, else the exit code after saying why it did not.
async Task<int?> RunStepAsync(string name, Func<Task> step)
{
    try
    {
        await step();
        return null;
    }
    catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
    {
        Console.Error.WriteLine("Interrupted.");
        return 130;
    }
    catch (Exception e) when (e is BenchmarkFailedException or TimeoutException or InvalidOperationException or HttpRequestException)
    {
        Console.Error.WriteLine($"{name} failed: {e.Message}");
        return 1;
    }
}
