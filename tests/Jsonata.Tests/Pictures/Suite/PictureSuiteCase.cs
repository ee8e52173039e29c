using Jsonata.Tests.Conformance;
using System.Text.Json;
using Jsonata.Functions.Pictures;

namespace Jsonata.Tests.Pictures.Suite;

/// <summary>
/// A suite case from the picture-function groups whose expression is a single literal call of
/// $formatInteger, $parseInteger, $formatNumber, $fromMillis or $toMillis, with its expected
/// outcome. Cases whose first argument is undefined are left out: they exercise the engine's
/// undefined handling, not the pictures.
/// </summary>
internal sealed record PictureSuiteCase(string Id, string Expression, LiteralCall Call, JsonElement Case)
{
    public static readonly string[] Groups =
    [
        "function-formatInteger", "function-parseInteger", "function-formatNumber",
        "function-fromMillis", "function-tomillis",
    ];

    private static readonly Lazy<IReadOnlyDictionary<string, PictureSuiteCase>> All = new(Load);

    /// <summary>Every runnable case by id; empty when the suite is not available.</summary>
    public static IReadOnlyDictionary<string, PictureSuiteCase> Cases => All.Value;

    /// <summary>How many cases the picture groups hold in all, runnable or not.</summary>
    public static int TotalInGroups { get; private set; }

    private static Dictionary<string, PictureSuiteCase> Load()
    {
        var cases = new Dictionary<string, PictureSuiteCase>();
        string? suite = SuiteLocator.FindSuite();
        if (suite is null)
        {
            return cases;
        }
        foreach (string group in Groups)
        {
            foreach (string file in Directory.GetFiles(Path.Combine(suite, "groups", group), "*.json").Order(StringComparer.Ordinal))
            {
                string name = group + "/" + Path.GetFileNameWithoutExtension(file);
                var root = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                {
                    int i = 0;
                    foreach (var element in root.EnumerateArray())
                    {
                        Add(cases, $"{name}[{i++}]", element, suite);
                    }
                }
                else
                {
                    Add(cases, name, root, suite);
                }
            }
        }
        return cases;
    }

    private static void Add(Dictionary<string, PictureSuiteCase> cases, string id, JsonElement element, string suite)
    {
        TotalInGroups++;
        if (!element.TryGetProperty("expr", out var expr) || LiteralCall.TryParse(expr.GetString()!) is not { } call)
        {
            return;
        }
        var input = InputOf(element, suite);
        for (int i = 0; i < call.Arguments.Count; i++)
        {
            if (call.Arguments[i] is FieldRef field)
            {
                // Only a field the input lacks is understood here: it is undefined.
                if (input is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(field.Name, out _))
                {
                    return;
                }
                call.Arguments[i] = Undefined.Value;
            }
        }
        if (call.Arguments.Count == 0 || call.Arguments[0] is Undefined)
        {
            return;
        }
        cases[id] = new PictureSuiteCase(id, expr.GetString()!, call, element.Clone());
    }

    private static JsonElement? InputOf(JsonElement element, string suite)
    {
        if (element.TryGetProperty("data", out var data))
        {
            return data.Clone();
        }
        if (element.TryGetProperty("dataset", out var dataset) && dataset.ValueKind == JsonValueKind.String)
        {
            string path = Path.Combine(suite, "datasets", dataset.GetString() + ".json");
            return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
        }
        return null;
    }

    /// <summary>Runs the call against <see cref="PictureFormat"/>; null stands for undefined.</summary>
    public object? Invoke()
    {
        var args = Call.Arguments;
        string? OptionalString(int i) => i < args.Count && args[i] is string s ? s : null;
        return Call.Function switch
        {
            "formatInteger" => PictureFormat.FormatInteger((double)args[0], (string)args[1]),
            "parseInteger" => PictureFormat.ParseInteger((string)args[0], (string)args[1]),
            "formatNumber" => PictureFormat.FormatNumber((double)args[0], (string)args[1],
                args.Count > 2 ? args[2] as IReadOnlyDictionary<string, string> : null),
            "fromMillis" => PictureFormat.FormatDateTime((double)args[0], OptionalString(1), OptionalString(2)),
            "toMillis" => PictureFormat.ParseDateTime((string)args[0], OptionalString(1)),
            _ => throw new InvalidOperationException("Not a picture function: " + Call.Function),
        };
    }

    public override string ToString() => Id;
}

/// <summary>The undefined value of an argument.</summary>
internal sealed class Undefined
{
    public static readonly Undefined Value = new();
}
