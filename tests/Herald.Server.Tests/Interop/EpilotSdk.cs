using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Interop;

/// <summary>
/// The published epilot npm client, installed at test time into a folder outside the repository and driven by
/// the scripts under <c>Interop/js/</c>. Without <c>node</c> or <c>npm</c>, or when the install fails, the calling
/// test skips with the reason, except under CI (<c>CI=true</c>), where it fails.
/// </summary>
public static class EpilotSdk
{
    /// <summary>The client version the contract was taken from.</summary>
    public const string Version = "2.20.31";

    /// <summary>The client and its peer dependencies, all pinned so that every run drives the same code.</summary>
    public static readonly IReadOnlyDictionary<string, string> Packages = new Dictionary<string, string>
    {
        ["@epilot/sdk"] = Version,
        ["axios"] = "1.21.1",
        ["openapi-client-axios"] = "7.9.1",
        // The reference Standard Webhooks verifier, an independent check of Herald's v1 signatures.
        ["standardwebhooks"] = "1.1.1",
    };

    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Reused between runs while what is installed there matches <see cref="Packages"/>.</summary>
    public static string InstallDirectory { get; } = Path.Combine(Path.GetTempPath(), "herald-interop-npm");

    private static string ScriptsDirectory => Path.Combine(AppContext.BaseDirectory, "Interop", "js");

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="scenario"/> against Herald at <paramref name="baseAddress"/>
    /// and returns the JSON summary it prints.
    /// </summary>
    public static async Task<JsonObject> RunAsync(
        string script, string scenario, Uri baseAddress, string token, string orgId, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var node = FindExecutable("node");
        var npm = FindExecutable("npm");
        if (node is null || npm is null)
        {
            Unavailable($"{(node is null ? "node" : "npm")} was not found on PATH; the interop tests need Node.js and npm");
        }

        // Held until the script has run, so that no other test run reinstalls the packages under it.
        Directory.CreateDirectory(InstallDirectory);
        var lockFile = Path.Combine(InstallDirectory, ".lock");
        await using var installLock = await FileLock.AcquireAsync(lockFile, LockTimeout, cancellationToken);
        if (installLock is null)
        {
            Unavailable($"another test run held {lockFile} for more than {LockTimeout.TotalMinutes:0} minutes");
        }
        var installed = await EnsureInstalledAsync(npm, cancellationToken);

        // Bare imports such as '@epilot/sdk/webhooks' resolve from the importing file's folder upwards, so the
        // scripts run from a copy inside the install folder, next to its node_modules.
        var runDirectory = Path.Combine(installed, "runs", Guid.NewGuid().ToString("N"));
        CopyDirectory(ScriptsDirectory, runDirectory);
        try
        {
            var environment = new Dictionary<string, string?>
            {
                ["HERALD_BASE_URL"] = baseAddress.ToString(),
                ["HERALD_TOKEN"] = token,
                ["HERALD_ORG_ID"] = orgId,
                // The script talks to loopback only; a proxy from the surrounding environment must not sit in between.
                ["HTTP_PROXY"] = null, ["HTTPS_PROXY"] = null, ["http_proxy"] = null, ["https_proxy"] = null,
                ["ALL_PROXY"] = null, ["all_proxy"] = null,
            };
            foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
            {
                environment[name] = value;
            }
            var result = await ProcessRun.RunAsync(
                node, [Path.Combine(runDirectory, script), scenario], runDirectory, environment, ScriptTimeout, cancellationToken);
            if (result.TimedOut)
            {
                Assert.Fail($"node {script} {scenario} did not finish within {ScriptTimeout.TotalSeconds:0} s and was killed.\nstderr:\n{result.StandardError}");
            }
            if (result.ExitCode != 0)
            {
                Assert.Fail($"node {script} {scenario} exited with {result.ExitCode}.\nstderr:\n{result.StandardError}\nstdout:\n{result.StandardOutput}");
            }
            var summary = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            try
            {
                return JsonNode.Parse(summary ?? "")?.AsObject() ?? throw new JsonException("null summary");
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                Assert.Fail($"node {script} {scenario} printed no JSON summary ({e.Message}).\nstdout:\n{result.StandardOutput}\nstderr:\n{result.StandardError}");
                throw;
            }
        }
        finally
        {
            TryDelete(runDirectory);
        }
    }

    /// <summary>
    /// Installs the pinned packages unless they are there already; returns the install folder. The caller holds
    /// the install folder's lock.
    /// </summary>
    private static async Task<string> EnsureInstalledAsync(string npm, CancellationToken cancellationToken)
    {
        var manifest = Manifest();
        var marker = Path.Combine(InstallDirectory, ".installed");
        if (IsInstalled(marker, manifest))
        {
            return InstallDirectory;
        }

        TryDelete(marker);
        await File.WriteAllTextAsync(Path.Combine(InstallDirectory, "package.json"), manifest, cancellationToken);
        var result = await ProcessRun.RunAsync(
            npm,
            ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", "--fetch-retries=1", "--fetch-retry-mintimeout=2000", "--fetch-retry-maxtimeout=10000", "--fetch-timeout=60000"],
            InstallDirectory,
            new Dictionary<string, string?> { ["npm_config_update_notifier"] = "false" },
            InstallTimeout,
            cancellationToken);
        if (result.TimedOut)
        {
            Unavailable($"npm install in {InstallDirectory} did not finish within {InstallTimeout.TotalMinutes:0} minutes (is the npm registry reachable?)");
        }
        if (result.ExitCode != 0)
        {
            Unavailable($"npm install of {string.Join(", ", Packages.Select(p => $"{p.Key}@{p.Value}"))} in {InstallDirectory} failed with exit code {result.ExitCode} (is the npm registry reachable?):\n{Head(result.StandardError)}");
        }
        await File.WriteAllTextAsync(marker, manifest, cancellationToken);
        if (!IsInstalled(marker, manifest))
        {
            Unavailable($"npm install in {InstallDirectory} finished but did not leave {string.Join(", ", Packages.Select(p => $"{p.Key}@{p.Value}"))} under node_modules");
        }
        return InstallDirectory;
    }

    /// <summary>Skips the calling test with <paramref name="reason"/>, or fails it under CI.</summary>
    [DoesNotReturn]
    public static void Unavailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{reason}. Under CI (CI=true) the interop tests must run.");
        }
        Assert.Skip(reason);
        throw new UnreachableException();
    }

    private static string Manifest() =>
        new JsonObject
        {
            ["name"] = "herald-interop-npm",
            ["private"] = true,
            ["description"] = "Installed by the Herald interop tests; safe to delete.",
            ["dependencies"] = new JsonObject(Packages.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Installed when the last install of this same manifest completed and every pinned package is present.</summary>
    private static bool IsInstalled(string marker, string manifest)
    {
        if (!File.Exists(marker) || File.ReadAllText(marker) != manifest)
        {
            return false;
        }
        foreach (var (name, version) in Packages)
        {
            var packageJson = Path.Combine(InstallDirectory, "node_modules", name, "package.json");
            if (!File.Exists(packageJson))
            {
                return false;
            }
            try
            {
                if (JsonNode.Parse(File.ReadAllText(packageJson))?["version"]?.GetValue<string>() != version)
                {
                    return false;
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return false;
            }
        }
        return true;
    }

    private static string? FindExecutable(string name)
    {
        var names = OperatingSystem.IsWindows() ? new[] { name + ".cmd", name + ".exe" } : [name];
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(n => Path.Combine(dir, n)))
            .FirstOrDefault(File.Exists);
    }

    private static void CopyDirectory(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            throw new DirectoryNotFoundException($"{from} is missing: the test project copies Interop/js to its output");
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // Left for the next run or the OS temp cleaner.
        }
    }

    /// <summary>npm puts the cause first and a stack trace after it.</summary>
    private static string Head(string text, int lines = 8) =>
        string.Join('\n', text.Split('\n').Take(lines));
}
