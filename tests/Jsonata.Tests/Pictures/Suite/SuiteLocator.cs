namespace Jsonata.Tests.Pictures.Suite;

/// <summary>Finds the shared copy of the JSONata conformance suite next to the repository.</summary>
internal static class SuiteLocator
{
    /// <summary>The test-suite folder, or null when this checkout has none beside it.</summary>
    public static string? FindSuite()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Herald.sln")))
            {
                string suite = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "jsonata", "test-suite"));
                return Directory.Exists(suite) ? suite : null;
            }
        }
        return null;
    }
}
