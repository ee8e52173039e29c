using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Herald.Bench;

/// <summary>
/// Herald.Server as its own process (<c>dotnet Herald.Server.dll</c>), or the benchmark's bare relay, on a free loopback
/// port. Its output goes straight into a log file, as a process manager would take it: nothing of it passes through
/// this process, whose CPU time is the control of the measures (Herald logs a line per delivery on its default
/// settings). Disposing kills it (and anything it started) and waits for it to go.
/// </summary>
public sealed class HeraldProcess : IDisposable
{
    public const string Token = "bench-token";
    public const string OrgId = "bench-org";

    private readonly Process _process;

    private HeraldProcess(Process process, Uri url, string logPath)
    {
        _process = process;
        Url = url;
        LogPath = logPath;
    }

    public Uri Url { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts Herald with <paramref name="settings"/> as <c>--Key=value</c> arguments and waits until it is ready.</summary>
    public static Task<HeraldProcess> StartAsync(
        string serverDirectory, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> environment, string logPath, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(serverDirectory, "Herald.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} does not exist; build it with `dotnet build -c Release src/Herald.Server`", dll);
        }
        return StartDllAsync(dll, serverDirectory, url => [$"--urls={url}", .. settings.Select(s => $"--{s.Key}={s.Value}")], environment, logPath, cancellationToken);
    }

    /// <summary>Starts this benchmark's bare relay (<see cref="Relay"/>) forwarding to <paramref name="target"/> and waits until it is ready.</summary>
    public static Task<HeraldProcess> StartRelayAsync(Uri target, int concurrency, string logPath, CancellationToken cancellationToken)
    {
        var dll = typeof(Relay).Assembly.Location;
        return StartDllAsync(dll, Path.GetDirectoryName(dll)!,
            url => ["relay", $"--urls={url}", $"--target={target}", $"--concurrency={concurrency.ToString(CultureInfo.InvariantCulture)}"],
            new Dictionary<string, string>(), logPath, cancellationToken);
    }

    private static async Task<HeraldProcess> StartDllAsync(
        string dll, string workingDirectory, Func<string, IEnumerable<string>> arguments, IReadOnlyDictionary<string, string> environment, string logPath, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        // The shell opens the log and becomes dotnet (exec), so the process is Herald's own, its output in the file.
        var start = new ProcessStartInfo("/bin/sh")
        {
            // The content root is the working folder: appsettings.json is found there.
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-c", "exec dotnet \"$@\" >> \"$LOG_PATH\" 2>&1", "dotnet", dll }.Concat(arguments(url.ToString().TrimEnd('/'))))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["LOG_PATH"] = logPath;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /bin/sh to run dotnet");
        var child = new HeraldProcess(process, url, logPath);
        try
        {
            await child.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Herald exited with code {_process.ExitCode} while starting; see {LogPath}:\n{Tail()}");
            }
            try
            {
                using var response = await client.GetAsync("/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"Herald was not ready within {timeout.TotalSeconds:0} s; see {LogPath}:\n{Tail()}");
    }

    /// <summary>The last lines of Herald's output, for error messages.</summary>
    public string Tail(int lines = 20)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    /// <summary>Resident set size now and its high-water mark, from <c>/proc/&lt;pid&gt;/status</c>, in bytes.</summary>
    public (long Rss, long Peak) Memory()
    {
        try
        {
            long rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
            }
            return (rss * 1024, peak * 1024);
        }
        catch (IOException)
        {
            _process.Refresh();
            return (_process.WorkingSet64, _process.PeakWorkingSet64);
        }
    }

    /// <summary>CPU time of the runtime's tiered-compilation threads now alive in this process, by thread id (see <see cref="TieredJit"/>).</summary>
    public IReadOnlyDictionary<int, TimeSpan> JitThreadCpuTime() => TieredJit.ThreadCpuTime(_process.Id);

    /// <summary>CPU time Herald has used so far (user and system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
