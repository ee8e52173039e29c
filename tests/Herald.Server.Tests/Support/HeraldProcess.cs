using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Herald.Server.Tests.Support;

/// <summary>
/// Herald as an operator runs it: <c>dotnet Herald.Server.dll</c> in a process of its own, in the Production
/// environment with the build's appsettings.json, on a free loopback port, with the given settings on its command
/// line. Its console output is kept. It can be killed outright (SIGKILL, as a crash or the OOM killer would) or
/// stopped gracefully (SIGTERM); disposing kills it if it still runs, so a failing test never leaves a server behind.
/// </summary>
public sealed class HeraldProcess : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(45);

    private const int SigTerm = 15;
    private const int StartTries = 3;
    private static readonly Lazy<string> Folder = new(FindServerFolder);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private HeraldProcess(string name, Process process, ConcurrentQueue<string> output, Uri baseAddress)
    {
        Name = name;
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
    }

    /// <summary>What the test calls this server in its messages.</summary>
    public string Name { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line the process wrote so far, standard error lines prefixed with <c>stderr: </c>.</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    /// <summary>
    /// The folder of the built server: <c>src/Herald.Server/bin/{Configuration}/{tfm}</c> of the configuration the tests
    /// were built in (the test project references the server, so building the tests builds it there), or else the copy
    /// of the server beside the test assembly.
    /// </summary>
    public static string ServerFolder => Folder.Value;

    /// <summary>Starts the server and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<HeraldProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        for (var tryNumber = 1; ; tryNumber++)
        {
            var herald = Launch(name, settings);
            try
            {
                await herald.WaitReadyAsync(cancellationToken);
                return herald;
            }
            catch (InvalidOperationException) when (tryNumber < StartTries && herald.HasExited && herald.Output.Any(l => l.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                // Another process took the free port between our probe and the server's bind: try another one.
                await herald.DisposeAsync();
            }
            catch
            {
                await herald.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// Runs the server as <see cref="StartAsync"/> would, on <paramref name="urls"/>, but waits for it to exit by
    /// itself (within <paramref name="timeout"/>) instead of for it to become ready; for starts that must fail.
    /// </summary>
    public static Task<ProcessResult> RunToExitAsync(string urls, IReadOnlyDictionary<string, string> settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { Path.Combine(ServerFolder, "Herald.Server.dll"), "--urls", urls };
        arguments.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = null,
            ["DOTNET_URLS"] = null,
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["ASPNETCORE_HTTPS_PORTS"] = null,
            ["ASPNETCORE_CONTENTROOT"] = null,
        };
        return ProcessRun.RunAsync(Herald.Testing.DotnetHost.Path(), arguments, ServerFolder, environment, timeout, cancellationToken);
    }

    /// <summary>A client of this server authenticated with <paramref name="token"/>, with a bounded request time.</summary>
    public HttpClient Client(string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Kills the process and its children at once (SIGKILL on Linux) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bound.Token);
    }

    /// <summary>
    /// Asks the server to stop (SIGTERM) and waits up to <paramref name="grace"/> for it to exit. Returns its exit code,
    /// or null when it did not exit in time, in which case it is killed.
    /// </summary>
    public async Task<int?> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsWindows() || SendSignal(_process.Id, SigTerm) != 0)
            {
                await KillAsync();
                return null;
            }
            using var bound = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
                return null;
            }
        }
        // The exit event fires before the output pipes are drained; this waits for their end too.
        await _process.WaitForExitAsync(CancellationToken.None);
        return _process.ExitCode;
    }

    /// <summary>The ids of the events this server logged an attempt for (log event 200 of the attempt runner), in order.</summary>
    public IReadOnlyList<string> AttemptedEventIds()
    {
        var ids = new List<string>();
        foreach (var line in Output)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }
            try
            {
                using var entry = JsonDocument.Parse(line);
                var root = entry.RootElement;
                if (root.TryGetProperty("EventId", out var logEvent) && logEvent.ValueKind == JsonValueKind.Number && logEvent.GetInt32() == 200
                    && root.TryGetProperty("Category", out var category) && category.GetString() is "Herald.Server.Delivery.AttemptRunner" or "Herald.Server.Delivery.AttemptReports"
                    && root.TryGetProperty("State", out var state) && state.TryGetProperty("EventId", out var eventId))
                {
                    ids.Add(eventId.GetString()!);
                }
            }
            catch (JsonException)
            {
                // Not a log entry.
            }
        }
        return ids;
    }

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int lines = 30) => $"--- last output of {Name} (pid {_process.Id}) ---\n" + string.Join('\n', Output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await KillAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static HeraldProcess Launch(string name, IReadOnlyDictionary<string, string> settings)
    {
        var folder = ServerFolder;
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Herald.Testing.DotnetHost.Path())
        {
            // The content root is the working folder: appsettings.json is read from there.
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "Herald.Server.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        if (!settings.ContainsKey("Logging:Format"))
        {
            // AttemptedEventIds reads the attempt log lines back as JSON.
            start.ArgumentList.Add("--Logging:Format=json");
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_CONTENTROOT" })
        {
            start.Environment.Remove(inherited);
        }

        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue("stderr: " + e.Data);
            }
        };
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start {start.FileName} {string.Join(' ', start.ArgumentList)}");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HeraldProcess(name, process, output, baseAddress);
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(CancellationToken.None);
                throw new InvalidOperationException($"Herald {Name} exited with code {_process.ExitCode} before it was ready.\n{Tail()}");
            }
            if (deadline.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"Herald {Name} was not ready within {ReadyTimeout.TotalSeconds:0} s.\n{Tail()}");
            }
            try
            {
                using var response = await probe.GetAsync("/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A probe that took too long; try again.
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static string FindServerFolder()
    {
        static bool HasServer(string folder) =>
            File.Exists(Path.Combine(folder, "Herald.Server.dll"))
            && File.Exists(Path.Combine(folder, "Herald.Server.runtimeconfig.json"))
            && File.Exists(Path.Combine(folder, "Herald.Server.deps.json"));

        var testFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testFolder.Name;
        var configuration = testFolder.Parent?.Name ?? "Debug";
        var built = Path.Combine(Repository.Root, "src", "Herald.Server", "bin", configuration, framework);
        if (HasServer(built))
        {
            return built;
        }
        if (HasServer(testFolder.FullName))
        {
            return testFolder.FullName;
        }
        throw new InvalidOperationException($"No built Herald.Server.dll (with its runtimeconfig and deps files) in {built} or {testFolder.FullName}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
