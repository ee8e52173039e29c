namespace Herald.Server.Tests.Support;

/// <summary>Where the repository and the shared folder beside it are, found from the test assembly's folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The <c>shared/</c> folder that sits beside the repository, or null when it is absent.</summary>
    public static string? Shared
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>
    /// A file under <c>shared/</c>; skips the calling test with a message when it is absent, or fails it under CI
    /// (<c>CI=true</c>), where <c>shared/</c> is always laid beside the checkout, as the PostgreSQL tests do.
    /// </summary>
    public static string SharedFileOrSkip(string relativePath)
    {
        var shared = Shared;
        var path = shared is null ? null : Path.Combine(shared, relativePath);
        if (path is null || !File.Exists(path))
        {
            var reason = $"../shared/{relativePath} is not present beside the repository; this test needs it.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason + " It is required in CI (CI=true).");
            }
            Assert.Skip(reason);
        }
        return path!;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Herald.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Herald.sln not found above " + AppContext.BaseDirectory);
    }
}
