
namespace Herald.Server.Tests.Architecture;

/// <summary>
/// The server's top-level folders form layers (README.md, Architecture): a folder uses only folders of lower layers,
/// so no two folders depend on each other, however indirectly.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>
    /// Uses that still run against the layers, each to be removed, never added to: a listed edge that no longer
    /// exists fails <see cref="Known_exceptions_still_exist"/>, so the list only shrinks.
    /// </summary>
    private static readonly HashSet<string> KnownExceptions = new(StringComparer.Ordinal);

    private static readonly FolderGraph Graph = FolderGraph.Read();

    [Fact]
    public void Readme_lists_every_folder_once()
    {
        var listed = ReadmeLayers.Read();
        var twice = listed.GroupBy(l => l.Folder).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var missing = Graph.Folders.Except(listed.Select(l => l.Folder)).Order(StringComparer.Ordinal).ToList();
        var absent = listed.Select(l => l.Folder).Except(Graph.Folders).ToList();
        Assert.True(twice.Count == 0, "README.md's Architecture tree lists these folders more than once: " + string.Join(", ", twice));
        Assert.True(missing.Count == 0, "README.md's Architecture tree lacks these folders of src/Herald.Server (add a line '  <layer> <Folder>/  <what it holds>'): " + string.Join(", ", missing));
        Assert.True(absent.Count == 0, "README.md's Architecture tree lists folders that src/Herald.Server does not have: " + string.Join(", ", absent));
    }

    [Fact]
    public void Folders_use_only_lower_layers()
    {
        var layers = ReadmeLayers.Read().DistinctBy(l => l.Folder).ToDictionary(l => l.Folder, l => l.Layer, StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var (from, targets) in Graph.Edges)
        {
            foreach (var (to, places) in targets)
            {
                if (layers.TryGetValue(from, out var a) && layers.TryGetValue(to, out var b) && a <= b && !KnownExceptions.Contains($"{from} -> {to}"))
                {
                    violations.Add($"{from} (layer {a}) -> {to} (layer {b}): {string.Join("; ", places.Take(5))}");
                }
            }
        }
        Assert.True(violations.Count == 0, "Folders use folders of their own or a higher layer (README.md, Architecture):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void No_cycles_between_folders()
    {
        var graph = Graph.Edges.ToDictionary(
            e => e.Key,
            e => (IReadOnlySet<string>)e.Value.Keys.Where(to => !KnownExceptions.Contains($"{e.Key} -> {to}")).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        var cycles = FolderGraph.Cycles(graph);
        Assert.True(cycles.Count == 0, "Folders depend on each other in cycles:\n" + string.Join("\n", cycles.Take(50)) + (cycles.Count > 50 ? $"\n… and {cycles.Count - 50} more" : ""));
    }

    [Fact]
    public void Known_exceptions_still_exist()
    {
        var gone = KnownExceptions.Where(edge =>
        {
            var parts = edge.Split(" -> ");
            return !Graph.Edges.TryGetValue(parts[0], out var targets) || !targets.ContainsKey(parts[1]);
        }).ToList();
        Assert.True(gone.Count == 0, "These known exceptions no longer exist; remove them from LayeringTests.KnownExceptions: " + string.Join(", ", gone));
    }

    [Fact]
    public void Reads_uses_in_method_bodies_and_ignores_comments_and_strings()
    {
        var code = FolderGraph.Blank("var a = Delivery.DeliveryCodes.Timeout; // Events.EventRecord\nvar b = \"Catalog.EventVersion\"; var c = 'x';");
        Assert.Contains("Delivery.DeliveryCodes", code);
        Assert.DoesNotContain("Events.EventRecord", code);
        Assert.DoesNotContain("Catalog.EventVersion", code);
    }
}
