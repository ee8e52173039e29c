using Jsonata.Conformance;
using Jsonata.Conformance.Suite;

if (args.Length >= 2 && args[0] == "--batch")
{
    return BatchMode.Run(args[1], args.Length > 2 && args[2] == "--messages");
}

// --jsonnode hands each input to the engine as a parsed JsonNode (Herald's path) instead of the engine's own model
var form = args.Contains("--jsonnode") ? InputForm.JsonNode : InputForm.Parsed;
args = args.Where(a => a != "--jsonnode").ToArray();
if (args.Length < 1 || !Directory.Exists(Path.Combine(args[0], "groups")))
{
    Console.Error.WriteLine("usage: Jsonata.Conformance <suite-dir> [group-filter] [--jsonnode]");
    return 2;
}

var loader = new SuiteLoader(args[0]);
var filter = args.Length > 1 ? args[1] : null;
var passed = 0;
var failed = 0;
foreach (var c in loader.LoadAll())
{
    if (filter != null && !c.Id.StartsWith(filter, StringComparison.Ordinal))
    {
        continue;
    }

    var outcome = SuiteRunner.Run(c, loader, form);
    if (outcome.Passed)
    {
        passed++;
    }
    else
    {
        failed++;
        Console.WriteLine($"{c.Id}: {outcome.Detail}");
    }
}

Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
