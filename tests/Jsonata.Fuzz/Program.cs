using System.Diagnostics;
using Jsonata;
using Jsonata.Fuzz;

// Compiles (and, when they compile, evaluates under guards) random and deeply nested expressions in a fresh process,
// whose code is not yet optimized and so has its largest stack frames. Every case must either succeed or throw
// JsonataException; anything else, a stack overflow above all, ends the process.
//   dotnet Jsonata.Fuzz.dll [cases] [seed]
var cases = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
var seed = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
Console.WriteLine($"seed={seed}");

var guards = new JsonataOptions { MaxDepth = 500, TimeLimit = TimeSpan.FromMilliseconds(20), MaxResultBytes = 1 << 20 };
var generator = new ExpressionGenerator(seed);
int compiled = 0, refused = 0, evaluated = 0, failedEvaluations = 0, done = 0;
var clock = Stopwatch.StartNew();
Exception? unexpected = null;
string? culprit = null;

// a thread-pool-sized stack (1.5 MiB), as Herald's requests and workers have, not the main thread's larger one
var worker = new Thread(
    () =>
    {
        for (var i = 0; i < cases; i++)
        {
            var expression = generator.Next(i);
            culprit = $"case {i}: {Shorten(expression)}";
            JsonataExpression compiledExpression;
            try
            {
                compiledExpression = JsonataExpression.Compile(expression);
                compiled++;
            }
            catch (JsonataException)
            {
                refused++;
                done++;
                continue;
            }
            catch (Exception e)
            {
                unexpected = e;
                return;
            }

            try
            {
                compiledExpression.Evaluate(JsonataValue.Parse("""{"a": {"b": [1, 2, {"c": "x"}]}, "n": 3, "s": "aaaa"}"""), options: guards).ToJsonNode();
                evaluated++;
            }
            catch (JsonataException)
            {
                failedEvaluations++;
            }
            catch (Exception e)
            {
                unexpected = e;
                return;
            }

            done++;
        }
    },
    1536 * 1024);
worker.Start();
worker.Join();

if (unexpected != null)
{
    Console.WriteLine($"FAILED seed={seed} {culprit}");
    Console.WriteLine(unexpected);
    return 1;
}

Console.WriteLine($"cases={done} compiled={compiled} refused={refused} evaluated={evaluated} evaluation-errors={failedEvaluations} seconds={clock.Elapsed.TotalSeconds:0.0}");
return 0;

static string Shorten(string text) => text.Length <= 200 ? text : $"{text[..120]}... ({text.Length} characters) ...{text[^60..]}";
