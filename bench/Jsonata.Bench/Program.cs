using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Jsonata;
using Jsonata.Bench;

// Times every expression of the workload with this engine and with jsonata-js on Node, checks that both give the
// same result, and prints the medians side by side.
// Run with: dotnet run -c Release --project bench/Jsonata.Bench [-- --samples 21 --batch-ms 20 --warmup-ms 500 --only <name>]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Usage = "usage: Jsonata.Bench [--samples N] [--batch-ms N] [--warmup-ms N] [--only <part of an expression name>]";
var settings = new Settings(Samples: 21, BatchMilliseconds: 20, WarmupMilliseconds: 500);
string? only = null;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--samples" when int.TryParse(value, out var n) && n > 0:
            settings = settings with { Samples = n };
            break;
        case "--batch-ms" when int.TryParse(value, out var n) && n > 0:
            settings = settings with { BatchMilliseconds = n };
            break;
        case "--warmup-ms" when int.TryParse(value, out var n) && n >= 0:
            settings = settings with { WarmupMilliseconds = n };
            break;
        case "--only" when value != null:
            only = value;
            break;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }

    i++;
}

var metadata = typeof(Workload).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
if (metadata.GetValueOrDefault("BuildConfiguration") != "Release")
{
    Console.Error.WriteLine("This is not a Release build: measure Release only (dotnet run -c Release --project bench/Jsonata.Bench).");
    return 2;
}

// The workload goes to a file first; both engines then take expressions and inputs from that same file.
var workDirectory = Directory.CreateTempSubdirectory("jsonata-bench-");
try
{
    var workloadPath = Path.Combine(workDirectory.FullName, "workload.json");
    File.WriteAllText(workloadPath, Workload.ToJson(Workload.Inputs(), settings).ToJsonString());
    var workload = JsonNode.Parse(File.ReadAllText(workloadPath))!;
    var inputs = workload["inputs"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
    var cases = workload["cases"]!.AsArray()
        .Select((c, index) => (Index: index, Name: c!["name"]!.GetValue<string>(), Expression: c["expression"]!.GetValue<string>(), Input: c["input"]!.GetValue<string>()))
        .Where(c => only == null || c.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
        .ToArray();

    using var node = NodeSide.TryStart(metadata["NpmDirectory"]!, workloadPath);
    Console.WriteLine($"JSONata engine against {node?.Description ?? "(jsonata-js unavailable)"}: {cases.Length} expressions, {settings.WarmupMilliseconds} ms of warm-up, then {settings.Samples} batches of at least {settings.BatchMilliseconds} ms per engine, taking turns");
    Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
    Console.WriteLine();

    // The path Herald takes (Transforms/JsonataRuntime.cs): a JsonNode input, the depth and time guards, a JsonNode result.
    var guards = new JsonataOptions { MaxDepth = 500, TimeLimit = TimeSpan.FromSeconds(2) };
    var rows = new List<Row>();
    var failures = new List<string>();
    foreach (var (index, name, expression, inputName) in cases)
    {
        var compiled = JsonataExpression.Compile(expression);
        var nodeInput = JsonNode.Parse(inputs[inputName]);
        var parsedInput = JsonataValue.Parse(inputs[inputName]);

        string? ours;
        try
        {
            ours = Text(compiled.Evaluate(nodeInput, options: guards));
            var fromParsed = Text(compiled.Evaluate(parsedInput));
            if (JsonComparison.Difference(ours, fromParsed) is { } inputForms)
            {
                failures.Add($"{name}: this engine gives different results for a JsonNode and a parsed input: {inputForms}");
            }
        }
        catch (JsonataException e)
        {
            failures.Add($"{name}: this engine failed: {e.Code} {e.Message}");
            continue;
        }

        var theirs = node?.Prepare(index);
        var sameResult = theirs != null;
        if (theirs?.Error != null)
        {
            failures.Add($"{name}: jsonata-js failed: {theirs.Error}");
            theirs = null;
            sameResult = false;
        }
        else if (theirs != null && JsonComparison.Difference(ours, theirs.Result) is { } difference)
        {
            failures.Add($"{name}: RESULTS DIFFER at {difference}\n    ours:       {Shorten(ours)}\n    jsonata-js: {Shorten(theirs.Result)}");
            sameResult = false;
        }

        var heraldPath = new Timing<JsonNode?>(() => compiled.Evaluate(nodeInput, options: guards).ToJsonNode());
        var engineOnly = new Timing<JsonataValue>(() => compiled.Evaluate(parsedInput));
        heraldPath.Prepare(settings);
        engineOnly.Prepare(settings);

        // one batch of each in turn, so a burst of load elsewhere on the machine hits all three alike
        var jsMicros = new List<double>();
        for (var s = 0; s < settings.Samples; s++)
        {
            if (theirs != null)
            {
                jsMicros.Add(node!.Sample(index));
            }

            heraldPath.Sample();
            engineOnly.Sample();
        }

        var jsonataJs = theirs == null ? null : new Measurement(theirs.Batch, jsMicros);
        rows.Add(new Row(name, heraldPath.Measurement, engineOnly.Measurement, jsonataJs, sameResult));
    }

    Report.Print(rows, node != null);
    Console.WriteLine($"load average {LoadAverage()}");

    if (failures.Count > 0)
    {
        Console.WriteLine();
        Console.WriteLine($"!!! {failures.Count} expression(s) did not do the same work on both engines; the figures above compare nothing:");
        foreach (var failure in failures)
        {
            Console.WriteLine($"!!! {failure}");
        }

        return 1;
    }

    return node == null || rows.All(r => r.Ratio < 1) ? 0 : 3;
}
finally
{
    workDirectory.Delete(recursive: true);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

// Results are compared as the JSON Herald would send: through ToJsonNode, which keeps every digit of a double, as
// JSON.stringify does on the Node side.
static string? Text(JsonataValue value) => value.IsUndefined ? null : value.ToJsonNode()?.ToJsonString() ?? "null";

static string Shorten(string? json) => json == null ? "undefined" : json.Length <= 400 ? json : json[..400] + " ...";
