using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Herald.Bench;

/// <summary>
/// A throwaway PostgreSQL server for one run: <c>initdb</c> into a temp folder and <c>pg_ctl start</c> on a free
/// loopback port, as the <c>postgres</c> user when running as root (PostgreSQL refuses root). The server keeps its
/// durability defaults (fsync, synchronous_commit, full_page_writes on): a commit is on disk when Herald hears of it.
/// Disposing stops it and removes the folder.
/// </summary>
public sealed class PostgresInstance : IAsyncDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    private readonly string _pgCtl;
    private readonly string _dataDirectory;
    private readonly bool _asRoot;
    private bool _started;
    private bool _keepLog;

    private PostgresInstance(string pgCtl, string dataDirectory, bool asRoot)
    {
        _pgCtl = pgCtl;
        _dataDirectory = dataDirectory;
        _asRoot = asRoot;
    }

    public string ConnectionString { get; private set; } = "";

    public string Version { get; private set; } = "";

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    public static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        return !Directory.Exists(root)
            ? null
            : Directory.GetDirectories(root)
                .Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => b, StringComparer.Ordinal)
                .FirstOrDefault();
    }

    /// <summary>
    /// Starts a server; with <paramref name="countStatements"/> it loads <c>pg_stat_statements</c> (which costs the
    /// server some CPU per statement, so its CPU figures are not comparable with a run without).
    /// </summary>
    public static async Task<PostgresInstance> StartAsync(bool countStatements, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin");
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"herald-bench-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        var asRoot = Environment.UserName == "root";
        var instance = new PostgresInstance(Path.Combine(bin, "pg_ctl"), dataDirectory, asRoot);
        try
        {
            if (asRoot)
            {
                await RunAsync("chown", ["postgres:postgres", dataDirectory], cancellationToken);
            }
            await instance.RunAsPostgresAsync(Path.Combine(bin, "initdb"), ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], cancellationToken);
            var port = FreePort();
            var options = $"-p {port} -c listen_addresses=127.0.0.1 -k {dataDirectory} -c max_connections=300"
                + (countStatements ? " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on -c pg_stat_statements.max=1000" : "")
                + string.Concat((settings ?? new Dictionary<string, string>()).Select(s => $" -c {s.Key}={s.Value}"));
            instance._keepLog = settings is { Count: > 0 };
            instance.Port = port;
            instance._started = true;
            await instance.RunAsPostgresAsync(instance._pgCtl, ["-D", dataDirectory, "-o", options, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-t", "60", "start"], cancellationToken);

            var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync(cancellationToken);
                await using (var create = new NpgsqlCommand("CREATE DATABASE herald_bench", connection))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
                await using var version = new NpgsqlCommand("SHOW server_version", connection);
                instance.Version = (string)(await version.ExecuteScalarAsync(cancellationToken))!;
            }
            instance.ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=herald_bench";
            if (countStatements)
            {
                await using var connection = new NpgsqlConnection(instance.ConnectionString + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                await using var extension = new NpgsqlCommand("CREATE EXTENSION pg_stat_statements", connection);
                await extension.ExecuteNonQueryAsync(cancellationToken);
            }
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// CPU time used so far by the server, from <c>/proc</c> in clock ticks of 10 ms: the postmaster, its live children
    /// (backends, writer, WAL writer, autovacuum workers) and the children it has reaped (the postmaster's
    /// <c>cutime</c> and <c>cstime</c>: autovacuum workers and backends that have ended), less the live backends named in
    /// <paramref name="leaveOut"/> (the benchmark's own probe). A difference of two readings is then the server's work in
    /// between, whether the processes that did it still run or not.
    /// </summary>
    public TimeSpan CpuTime(params int?[] leaveOut)
    {
        var (live, reaped) = CpuParts(leaveOut);
        return live + reaped;
    }

    /// <summary><see cref="CpuTime"/> in its two parts: the processes running now, and those the postmaster has reaped.</summary>
    public (TimeSpan Live, TimeSpan Reaped) CpuParts(params int?[] leaveOut)
    {
        var pidFile = Path.Combine(_dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster))
        {
            return (TimeSpan.Zero, TimeSpan.Zero);
        }
        long ticks = 0;
        long reapedTicks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // Fields after the command name, which is in parentheses and may contain spaces.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                if (pid == postmaster)
                {
                    // utime, stime, and cutime, cstime: the children it waited for.
                    ticks += fields[11..13].Sum(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture));
                    reapedTicks += fields[13..15].Sum(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture));
                }
                else if (parent == postmaster && !leaveOut.Contains(pid))
                {
                    ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while being read.
            }
        }
        return (TimeSpan.FromMilliseconds(ticks * 10), TimeSpan.FromMilliseconds(reapedTicks * 10));
    }

    private Task RunAsPostgresAsync(string program, string[] arguments, CancellationToken cancellationToken) =>
        _asRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], cancellationToken) : RunAsync(program, arguments, cancellationToken);

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StepTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {StepTimeout.TotalSeconds:0} s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Where the server's log is copied when the run is over, if it was started with settings of its own.</summary>
    public static string KeptLog => Path.Combine(Path.GetTempPath(), "herald-bench-postgres.log");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_keepLog)
        {
            try
            {
                File.Copy(Path.Combine(_dataDirectory, "server.log"), KeptLog, overwrite: true);
                await Console.Error.WriteLineAsync($"PostgreSQL's log: {KeptLog}");
            }
            catch (IOException)
            {
            }
        }
        try
        {
            if (_started)
            {
                // Not cancellable: the server must go even when the run was interrupted.
                await RunAsPostgresAsync(_pgCtl, ["-D", _dataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], CancellationToken.None);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"Stopping PostgreSQL failed: {e.Message}");
            try
            {
                await RunAsPostgresAsync(_pgCtl, ["-D", _dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], CancellationToken.None);
            }
            catch (Exception again) when (again is InvalidOperationException or TimeoutException)
            {
                await Console.Error.WriteLineAsync($"PostgreSQL in {_dataDirectory} may still be running: {again.Message}");
                return;
            }
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
