using Jsonata.Json;
using Jsonata.Values;

namespace Jsonata.Conformance.Suite;

/// <summary>Reads a suite laid out as <c>groups/&lt;group&gt;/&lt;case&gt;.json</c> plus <c>datasets/&lt;name&gt;.json</c>.</summary>
internal sealed class SuiteLoader
{
    private readonly string _root;
    private readonly Dictionary<string, object?> _datasets = new(StringComparer.Ordinal);

    public SuiteLoader(string root)
    {
        _root = root;
    }

    public string Root => _root;

    public IEnumerable<SuiteCase> LoadAll()
    {
        var groups = Path.Combine(_root, "groups");
        foreach (var groupDir in Directory.GetDirectories(groups).OrderBy(d => d, StringComparer.Ordinal))
        {
            foreach (var file in Directory.GetFiles(groupDir, "*.json").OrderBy(f => f, StringComparer.Ordinal))
            {
                foreach (var c in LoadFile(file))
                {
                    yield return c;
                }
            }
        }
    }

    public IEnumerable<SuiteCase> LoadFile(string file)
    {
        var group = Path.GetFileName(Path.GetDirectoryName(file)!);
        var name = Path.GetFileNameWithoutExtension(file);
        var parsed = JsonReader.Parse(File.ReadAllText(file));
        if (parsed is JArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                yield return ToCase($"{group}/{name}[{i}]", (JObject)array[i]!, Path.GetDirectoryName(file)!);
            }
        }
        else
        {
            yield return ToCase($"{group}/{name}", (JObject)parsed!, Path.GetDirectoryName(file)!);
        }
    }

    /// <summary>Loads the case with the given id (<c>group/file</c> or <c>group/file[i]</c>).</summary>
    public SuiteCase LoadCase(string id)
    {
        var bracket = id.IndexOf('[', StringComparison.Ordinal);
        var fileId = bracket < 0 ? id : id.Substring(0, bracket);
        var file = Path.Combine(_root, "groups", fileId.Replace('/', Path.DirectorySeparatorChar) + ".json");
        return LoadFile(file).Single(c => c.Id == id);
    }

    public object? Dataset(string name)
    {
        lock (_datasets)
        {
            if (!_datasets.TryGetValue(name, out var value))
            {
                value = JsonReader.Parse(File.ReadAllText(Path.Combine(_root, "datasets", name + ".json")));
                _datasets[name] = value;
            }

            return value;
        }
    }

    private static SuiteCase ToCase(string id, JObject obj, string groupDir)
    {
        string expression;
        if (obj.TryGetValue("expr", out var expr) && expr is string s)
        {
            expression = s;
        }
        else
        {
            expression = File.ReadAllText(Path.Combine(groupDir, (string)obj["expr-file"]!));
        }

        return new SuiteCase
        {
            Id = id,
            Expression = expression,
            HasData = obj.ContainsKey("data"),
            Data = obj.GetValueOrDefault("data"),
            Dataset = obj.GetValueOrDefault("dataset") as string,
            Bindings = obj.GetValueOrDefault("bindings") as JObject,
            HasResult = obj.ContainsKey("result"),
            Result = obj.GetValueOrDefault("result"),
            UndefinedResult = obj.GetValueOrDefault("undefinedResult") is true,
            Code = obj.GetValueOrDefault("code") as string,
            Token = obj.GetValueOrDefault("token") as string,
            Error = obj.GetValueOrDefault("error") as JObject,
            TimeLimit = obj.GetValueOrDefault("timelimit") is double t ? (int)t : null,
            Depth = obj.GetValueOrDefault("depth") is double d ? (int)d : null,
        };
    }
}
