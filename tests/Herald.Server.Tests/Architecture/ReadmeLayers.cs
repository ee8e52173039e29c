using System.Text.RegularExpressions;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Architecture;

/// <summary>
/// The layer of each server folder, as README.md's Architecture section draws it: inside that section's tree, a
/// line <c>  3 Configs/   …</c> (a number, a space, the folder) puts <c>Configs</c> in layer 3. The README is the one place the order is written;
/// the tests read it from there.
/// </summary>
public static partial class ReadmeLayers
{
    public static IReadOnlyList<(string Folder, int Layer)> Read()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var start = readme.IndexOf("\n## Architecture", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Architecture' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        return FolderLine().Matches(section)
            .Select(m => (m.Groups["folder"].Value, int.Parse(m.Groups["layer"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }

    [GeneratedRegex(@"^ +(?<layer>\d+) (?<folder>[A-Z]\w*)/", RegexOptions.Multiline)]
    private static partial Regex FolderLine();
}
