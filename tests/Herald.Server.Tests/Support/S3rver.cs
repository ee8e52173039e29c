using System.Diagnostics;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Interop;

namespace Herald.Server.Tests.Support;

/// <summary>
/// A real S3-compatible server for the file delivery tests: the npm package <c>s3rver</c>, installed at test time into
/// a folder outside the repository and run by <c>node</c> on a loopback port with one bucket, <see cref="Bucket"/>.
/// Without node or npm, or when the install fails, the calling test skips with the reason, except under CI
/// (<c>CI=true</c>), where it fails (<see cref="EpilotSdk.Unavailable"/>).
/// </summary>
public sealed class S3rver : IAsyncDisposable
{
    public const string Version = "3.7.1";
    public const string Bucket = "files";

    /// <summary>s3rver's fixed credentials; Herald signs its requests with them as it would for any store.</summary>
    public const string AccessKey = "S3RVER";

    private const string StartScript = """
        import S3rver from 's3rver';
        const server = new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[2], silent: true, configureBuckets: [{ name: process.argv[3] }] });
        const { port } = await server.run();
        console.log(JSON.stringify({ port }));
        process.stdin.on('end', () => process.exit(0));
        process.stdin.resume();
        """;

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly HttpClient Http = new();

    private readonly Process _process;
    private readonly TempDirectory _data;

    private S3rver(Process process, TempDirectory data, int port)
    {
        _process = process;
        _data = data;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public static string InstallDirectory { get; } = Path.Combine(Path.GetTempPath(), "herald-s3rver-npm");

    public Uri Url { get; }

    /// <summary>Herald's settings for reading files from this server.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Files:Source"] = "S3",
        ["Files:S3:ServiceUrl"] = Url.ToString(),
        ["Files:S3:Region"] = "us-east-1",
        ["Files:S3:AccessKey"] = AccessKey,
        ["Files:S3:SecretKey"] = AccessKey,
        ["Files:S3:ForcePathStyle"] = "true",
    };

    public static async Task<S3rver> StartAsync(CancellationToken cancellationToken)
    {
        var node = Executable("node");
        var installed = await EnsureInstalledAsync(cancellationToken);
        var data = new TempDirectory("herald-s3rver-data");
        var start = new ProcessStartInfo(node!)
        {
            WorkingDirectory = installed,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(installed, "start-s3rver.mjs"));
        start.ArgumentList.Add(data.Path);
        start.ArgumentList.Add(Bucket);
        var process = Process.Start(start)!;
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ready.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(ready.Token)
                ?? throw new InvalidOperationException("node closed its output before printing the port");
            var port = JsonNode.Parse(line)?["port"]?.GetValue<int>();
            if (port is null)
            {
                throw new InvalidOperationException($"printed '{line}'");
            }
            return new S3rver(process, data, port.Value);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.Text.Json.JsonException)
        {
            process.Kill(entireProcessTree: true);
            var error = await process.StandardError.ReadToEndAsync(CancellationToken.None);
            data.Dispose();
            EpilotSdk.Unavailable($"s3rver {Version} did not start ({e.Message}): {error}");
            throw;
        }
    }

    /// <summary>Stores an object with a plain HTTP PUT (s3rver takes unsigned requests).</summary>
    public async Task PutAsync(string key, byte[] content, string contentType = "application/octet-stream")
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await Http.PutAsync(new Uri(Url, $"/{Bucket}/{key}"), body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Stores a file of <paramref name="length"/> bytes streamed from disk, so that the test holds no copy.</summary>
    public async Task PutFileAsync(string key, string path)
    {
        await using var stream = File.OpenRead(path);
        using var body = new StreamContent(stream);
        body.Headers.ContentLength = stream.Length;
        using var response = await Http.PutAsync(new Uri(Url, $"/{Bucket}/{key}"), body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Runs a Node script (ES module) with <paramref name="arguments"/> and returns what it printed.</summary>
    public static async Task<string> NodeAsync(string script, params string[] arguments)
    {
        var node = Executable("node");
        using var dir = new TempDirectory("herald-node-script");
        var file = Path.Combine(dir.Path, "script.mjs");
        await File.WriteAllTextAsync(file, script, TestContext.Current.CancellationToken);
        var result = await ProcessRun.RunAsync(node!, [file, .. arguments], dir.Path, new Dictionary<string, string?>(), TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"node exited with {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _data.Dispose();
    }

    private static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        var npm = Executable("npm");
        Directory.CreateDirectory(InstallDirectory);
        var lockFile = Path.Combine(InstallDirectory, ".lock");
        await using var installLock = await FileLock.AcquireAsync(lockFile, TimeSpan.FromMinutes(10), cancellationToken);
        if (installLock is null)
        {
            EpilotSdk.Unavailable($"another test run held {lockFile} for more than 10 minutes");
        }
        await WriteScriptAsync(Path.Combine(InstallDirectory, "start-s3rver.mjs"), cancellationToken);
        var packageJson = Path.Combine(InstallDirectory, "node_modules", "s3rver", "package.json");
        if (File.Exists(packageJson) && JsonNode.Parse(await File.ReadAllTextAsync(packageJson, cancellationToken))?["version"]?.GetValue<string>() == Version)
        {
            return InstallDirectory;
        }
        await File.WriteAllTextAsync(Path.Combine(InstallDirectory, "package.json"),
            $$$"""{"name":"herald-s3rver-npm","private":true,"description":"Installed by the Herald file delivery tests; safe to delete.","dependencies":{"s3rver":"{{{Version}}}"}}""",
            cancellationToken);
        var result = await ProcessRun.RunAsync(
            npm!,
            ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", "--fetch-retries=1", "--fetch-timeout=60000"],
            InstallDirectory,
            new Dictionary<string, string?> { ["npm_config_update_notifier"] = "false" },
            InstallTimeout,
            cancellationToken);
        if (result.TimedOut || result.ExitCode != 0 || !File.Exists(packageJson))
        {
            EpilotSdk.Unavailable($"npm install of s3rver@{Version} in {InstallDirectory} failed (exit {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}; is the npm registry reachable?): {result.StandardError}");
        }
        return InstallDirectory;
    }

    /// <summary>
    /// Writes the start script only when it differs, through a rename: another test class may be starting node on it
    /// at this moment, and a truncated file is an empty module that exits at once without printing its port.
    /// </summary>
    private static async Task WriteScriptAsync(string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == StartScript)
        {
            return;
        }
        var staging = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        await File.WriteAllTextAsync(staging, StartScript, cancellationToken);
        File.Move(staging, path, overwrite: true);
    }

    private static string? Executable(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        if (found is null)
        {
            EpilotSdk.Unavailable($"{name} was not found on PATH; the file delivery tests run s3rver with Node.js and npm");
        }
        return found;
    }
}
