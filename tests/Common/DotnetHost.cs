using System.Runtime.InteropServices;

namespace Herald.Testing;

/// <summary>
/// The <c>dotnet</c> host that starts a built program in a process of its own: the one running the build, the one
/// running these tests, or the first on PATH. Linked into each test project that starts such a process.
/// </summary>
internal static class DotnetHost
{
    public static string Path()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }
        // The shared runtime lives in {root}/shared/Microsoft.NETCore.App/{version}/; the host sits in {root}.
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        if (File.Exists(System.IO.Path.Combine(root, name)))
        {
            return System.IO.Path.Combine(root, name);
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(File.Exists) ?? name;
    }
}
