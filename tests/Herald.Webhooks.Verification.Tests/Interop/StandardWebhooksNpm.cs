using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Webhooks.Verification.Tests.Interop;

/// <summary>
/// The reference Standard Webhooks library from npm (<c>standardwebhooks</c>, pinned), installed at test time into a
/// folder under the temp folder and driven by <c>Interop/js/standard-webhooks.mjs</c>. Without node or npm, or when
/// the install fails, the calling test skips with the reason, except under CI (<c>CI=true</c>), where it fails.
/// </summary>
public static class StandardWebhooksNpm
{
    public const string Version = "1.1.1";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);

    private static string InstallDirectory { get; } = Path.Combine(Path.GetTempPath(), "herald-verification-npm");

    /// <summary>Runs the script with <paramref name="input"/> and returns the JSON line it printed.</summary>
    public static async Task<JsonObject> RunAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var node = Executable("node");
        var npm = Executable("npm");
        if (node is null || npm is null)
        {
            Unavailable($"{(node is null ? "node" : "npm")} was not found on PATH; the npm interop tests need Node.js and npm");
        }
        Directory.CreateDirectory(InstallDirectory);
        var lockFile = Path.Combine(InstallDirectory, ".lock");
        await using var installLock = await FileLock.AcquireAsync(lockFile, LockTimeout, cancellationToken);
        if (installLock is null)
        {
            Unavailable($"another test run held {lockFile} for more than {LockTimeout.TotalMinutes:0} minutes");
        }
        await EnsureInstalledAsync(npm, cancellationToken);

        // A bare import resolves from the importing file's folder upwards: the script runs from the install folder.
        var script = Path.Combine(InstallDirectory, "standard-webhooks.mjs");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Interop", "js", "standard-webhooks.mjs"), script, overwrite: true);
        var result = await ProcessRun.RunAsync(node, [script], InstallDirectory,
            new Dictionary<string, string?> { ["HERALD_NPM_INPUT"] = input.ToJsonString() }, ScriptTimeout, cancellationToken);
        if (result.TimedOut || result.ExitCode != 0)
        {
            Assert.Fail($"node standard-webhooks.mjs {(result.TimedOut ? "timed out" : $"exited with {result.ExitCode}")}.\nstderr:\n{result.StandardError}\nstdout:\n{result.StandardOutput}");
        }
        var line = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        try
        {
            return JsonNode.Parse(line)!.AsObject();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            Assert.Fail($"node standard-webhooks.mjs printed no JSON line ({e.Message}):\n{result.StandardOutput}\n{result.StandardError}");
            throw;
        }
    }

    private static async Task EnsureInstalledAsync(string npm, CancellationToken cancellationToken)
    {
        var packageJson = Path.Combine(InstallDirectory, "node_modules", "standardwebhooks", "package.json");
        if (File.Exists(packageJson) && JsonNode.Parse(await File.ReadAllTextAsync(packageJson, cancellationToken))?["version"]?.GetValue<string>() == Version)
        {
            return;
        }
        var manifest = new JsonObject
        {
            ["name"] = "herald-verification-npm",
            ["private"] = true,
            ["description"] = "Installed by the Herald.Webhooks.Verification tests; safe to delete.",
            ["dependencies"] = new JsonObject { ["standardwebhooks"] = Version },
        };
        await File.WriteAllTextAsync(Path.Combine(InstallDirectory, "package.json"), manifest.ToJsonString(), cancellationToken);
        var result = await ProcessRun.RunAsync(npm,
            ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", "--fetch-retries=1", "--fetch-timeout=60000"],
            InstallDirectory, new Dictionary<string, string?> { ["npm_config_update_notifier"] = "false" }, InstallTimeout, cancellationToken);
        if (result.TimedOut || result.ExitCode != 0 || !File.Exists(packageJson))
        {
            Unavailable($"npm install standardwebhooks@{Version} in {InstallDirectory} failed (is the npm registry reachable?): {string.Join('\n', result.StandardError.Split('\n').Take(8))}");
        }
    }

    [DoesNotReturn]
    private static void Unavailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{reason}. Under CI (CI=true) the npm interop tests must run.");
        }
        Assert.Skip(reason);
        throw new UnreachableException();
    }

    private static string? Executable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
