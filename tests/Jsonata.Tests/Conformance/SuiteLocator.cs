using Jsonata.Tests.Conformance;
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

    /// <summary>
    /// Skips the calling test with <paramref name="reason"/> when the suite is absent, or fails it under CI
    /// (<c>CI=true</c>), where the suite is always laid beside the checkout and its absence is a broken set-up.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void SkipOrFail(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{reason} It is required in CI (CI=true).");
        }
        Assert.Skip(reason);
    }
}
