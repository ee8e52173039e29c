using System.Text;
using System.Text.RegularExpressions;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Architecture;

/// <summary>
/// Which top-level folders of <c>src/Herald.Server</c> use which, read from the source: every <c>using
/// Herald.Server.X…</c> directive and every qualified name <c>X.Type</c> or <c>Herald.Server.X.Type</c> whose type is
/// declared in folder X. Reading the source sees what reflection over signatures would miss: references inside
/// method bodies, constants and <c>nameof</c>. Comments and string literals are blanked out first, so prose that
/// names a type does not count. Files at the project root (Program.cs) compose everything and are left out.
/// </summary>
public sealed partial class FolderGraph
{
    public static string SourceRoot { get; } = Path.Combine(Repository.Root, "src", "Herald.Server");

    /// <summary>Folder to the folders it uses, each with the places that use it ("File.cs: what").</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, SortedSet<string>>> Edges { get; }

    public IReadOnlySet<string> Folders { get; }

    private FolderGraph(IReadOnlySet<string> folders, Dictionary<string, SortedDictionary<string, SortedSet<string>>> edges)
    {
        Folders = folders;
        Edges = edges;
    }

    public static FolderGraph Read()
    {
        var files = Directory.GetDirectories(SourceRoot)
            .Where(d => !Path.GetFileName(d).Equals("bin", StringComparison.Ordinal) && !Path.GetFileName(d).Equals("obj", StringComparison.Ordinal))
            .SelectMany(d => Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories).Select(f => (Folder: Path.GetFileName(d), Path: f)))
            .Select(f => (f.Folder, f.Path, Code: Blank(File.ReadAllText(f.Path))))
            .ToList();
        var folders = files.Select(f => f.Folder).ToHashSet(StringComparer.Ordinal);

        // Type names each folder declares, so that "Events.Count" on a property named Events is not read as a folder.
        var declared = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (Match m in Declaration().Matches(file.Code))
            {
                declared[file.Folder].Add(m.Groups["name"].Value);
            }
        }

        var edges = folders.ToDictionary(f => f, _ => new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (folder, path, code) in files)
        {
            var name = Path.GetRelativePath(SourceRoot, path).Replace('\\', '/');
            void Add(string target, string what)
            {
                if (target != folder && folders.Contains(target))
                {
                    if (!edges[folder].TryGetValue(target, out var places))
                    {
                        edges[folder][target] = places = new SortedSet<string>(StringComparer.Ordinal);
                    }
                    places.Add($"{name}: {what}");
                }
            }
            foreach (Match m in UsingDirective().Matches(code))
            {
                Add(m.Groups["folder"].Value, m.Value.Trim());
            }
            foreach (Match m in QualifiedName().Matches(code))
            {
                var target = m.Groups["folder"].Value;
                if (declared.TryGetValue(target, out var types) && types.Contains(m.Groups["type"].Value))
                {
                    Add(target, m.Value);
                }
            }
        }
        return new FolderGraph(folders, edges);
    }

    /// <summary>The cycles among folders, each as "A -> B -> A", shortest first, found by a depth-first walk from every folder.</summary>
    public static IReadOnlyList<string> Cycles(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var cycles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var start in graph.Keys)
        {
            var path = new List<string> { start };
            Walk(start);

            void Walk(string at)
            {
                foreach (var next in graph.TryGetValue(at, out var targets) ? targets : new HashSet<string>())
                {
                    if (next == start)
                    {
                        // Report each cycle once, starting from its alphabetically first folder.
                        if (path.Min(StringComparer.Ordinal) == start)
                        {
                            cycles.Add(string.Join(" -> ", path.Append(start)));
                        }
                    }
                    else if (!path.Contains(next) && string.CompareOrdinal(next, start) > 0)
                    {
                        path.Add(next);
                        Walk(next);
                        path.RemoveAt(path.Count - 1);
                    }
                }
            }
        }
        return cycles.OrderBy(c => c.Length).ThenBy(c => c, StringComparer.Ordinal).ToList();
    }

    /// <summary>The code with comments and the contents of string and character literals replaced by spaces.</summary>
    internal static string Blank(string source)
    {
        var text = new StringBuilder(source);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                i = BlankUntil(text, i, j => text[j] == '\n', 0);
            }
            else if (c == '/' && next == '*')
            {
                i = BlankUntil(text, i, j => text[j - 1] == '*' && text[j] == '/' && j - 1 > i + 1, 1);
            }
            else if (c == '"' && next == '"' && i + 2 < text.Length && text[i + 2] == '"')
            {
                var quotes = 0;
                while (i + quotes < text.Length && text[i + quotes] == '"')
                {
                    quotes++;
                }
                var fence = new string('"', quotes);
                var end = text.ToString().IndexOf(fence, i + quotes, StringComparison.Ordinal);
                i = BlankRange(text, i, end < 0 ? text.Length : end + quotes);
            }
            else if (c == '"')
            {
                var verbatim = i > 0 && (text[i - 1] == '@' || (text[i - 1] == '$' && i > 1 && text[i - 2] == '@'));
                var j = i + 1;
                while (j < text.Length)
                {
                    if (!verbatim && text[j] == '\\')
                    {
                        j += 2;
                        continue;
                    }
                    if (text[j] == '"')
                    {
                        if (verbatim && j + 1 < text.Length && text[j + 1] == '"')
                        {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                i = BlankRange(text, i, Math.Min(j + 1, text.Length));
            }
            else if (c == '\'' )
            {
                var j = i + 1;
                while (j < text.Length && text[j] != '\'')
                {
                    j += text[j] == '\\' ? 2 : 1;
                }
                i = BlankRange(text, i, Math.Min(j + 1, text.Length));
            }
            else
            {
                i++;
            }
        }
        return text.ToString();
    }

    private static int BlankUntil(StringBuilder text, int from, Func<int, bool> isLast, int include)
    {
        var j = from + 1;
        while (j < text.Length && !isLast(j))
        {
            j++;
        }
        return BlankRange(text, from, Math.Min(j + include, text.Length));
    }

    private static int BlankRange(StringBuilder text, int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            if (text[k] != '\n')
            {
                text[k] = ' ';
            }
        }
        return to;
    }

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?Herald\.Server\.(?<folder>\w+)[^;]*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?(?:Herald\.Server\.)?(?<folder>[A-Z]\w*)\.(?<type>[A-Z]\w*)")]
    private static partial Regex QualifiedName();
}
