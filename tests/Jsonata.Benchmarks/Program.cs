using System.Diagnostics;
using System.Text.Json.Nodes;
using Jsonata;
using Jsonata.Benchmarks;

// Times typical webhook transforms: best of several rounds, microseconds per evaluation.
// Run with: dotnet run -c Release --project tests/Jsonata.Benchmarks
var payload = SamplePayload.Order(lineItems: 25);
var parsed = JsonataValue.Parse(payload);
var node = JsonNode.Parse(payload);

Console.WriteLine($"{"parsed",10} {"JsonNode",10}  expression");
foreach (var (name, text) in SamplePayload.Transforms)
{
    var expr = JsonataExpression.Compile(text);
    var fromParsed = Measure(() => expr.Evaluate(parsed));
    var fromNode = Measure(() => expr.Evaluate(node));
    Console.WriteLine($"{fromParsed,10:F2} {fromNode,10:F2}  {name}");
}

static double Measure(Action action)
{
    for (var i = 0; i < 2000; i++)
    {
        action();
    }

    var best = double.MaxValue;
    for (var round = 0; round < 5; round++)
    {
        const int iterations = 5000;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        best = Math.Min(best, sw.Elapsed.TotalMicroseconds / iterations);
    }

    return best;
}
