namespace Jsonata.Tests.Conformance;

/// <summary>Finds the shared copy of the official suite: <c>../shared/jsonata/test-suite</c> from the repository root.</summary>
internal static class SuiteLocator
{
    public static string? FindSuite()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Herald.sln")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent == null)
        {
            return null;
        }

        var suite = Path.Combine(dir.Parent.FullName, "shared", "jsonata", "test-suite");
        return Directory.Exists(Path.Combine(suite, "groups")) ? suite : null;
    }
}
