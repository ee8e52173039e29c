using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Herald.Server.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server for the whole test run: <c>initdb</c> into a temp folder, started on a free
/// loopback port (as the <c>postgres</c> user when the tests run as root, since PostgreSQL refuses root), stopped
/// at the end. <c>HERALD_TEST_POSTGRES</c> names an existing server instead. Without either, tests that need it
/// skip with a message, except under CI (<c>CI=true</c>), where they fail.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dataDir;
    private string? _pgCtl;
    private string? _adminConnectionString;
    private string? _unavailable;

    public async ValueTask InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(given))
        {
            _adminConnectionString = given;
            return;
        }

        var bin = FindBinaries();
        if (bin is null)
        {
            _unavailable = "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin and HERALD_TEST_POSTGRES is not set";
            return;
        }

        _pgCtl = Path.Combine(bin, "pg_ctl");
        var asRoot = Environment.UserName == "root";
        await StopOrphansAsync(asRoot, _pgCtl);
        _dataDir = Path.Combine(Path.GetTempPath(), $"{Prefix}{Guid.NewGuid():N}");
        // Beside the folder, which initdb wants empty.
        await File.WriteAllTextAsync(_dataDir + OwnerSuffix, Owner(Environment.ProcessId) ?? "");
        Directory.CreateDirectory(_dataDir);
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _dataDir]);
        }

        var port = FreePort();
        await RunAsPostgresAsync(asRoot, Path.Combine(bin, "initdb"), ["-D", _dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -k {_dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsPostgresAsync(asRoot, _pgCtl, ["-D", _dataDir, "-o", options, "-l", Path.Combine(_dataDir, "server.log"), "-w", "-t", "60", "start"]);
        _adminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>Herald's storage settings for a fresh database on this server.</summary>
    public async Task<Dictionary<string, string?>> StorageAsync() => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:ConnectionString"] = await CreateDatabaseAsync(),
    };

    /// <summary>A connection string to a new, empty database; skips (or, in CI, fails) when no server is available.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        if (_adminConnectionString is null)
        {
            var reason = _unavailable ?? "no PostgreSQL server";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"PostgreSQL is required in CI: {reason}");
            }
            Assert.Skip($"PostgreSQL tests skipped: {reason}");
        }

        var name = $"herald_{Guid.NewGuid():N}";
        // A connect on a loaded CI machine (Herald processes and the test server on two cores) once took over Npgsql's
        // default 15 s: the set-up waits longer rather than fail a test that has not started. Herald's own connection
        // string keeps the defaults.
        var admin = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Timeout = 60, CommandTimeout = 120 };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_pgCtl is not null && _dataDir is not null)
        {
            try
            {
                await RunAsPostgresAsync(Environment.UserName == "root", _pgCtl, ["-D", _dataDir, "-m", "immediate", "-w", "stop"]);
            }
            finally
            {
                try
                {
                    Directory.Delete(_dataDir, recursive: true);
                    File.Delete(_dataDir + OwnerSuffix);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private const string Prefix = "herald-pg-";

    /// <summary>The file beside a server's folder that names the test process that started it.</summary>
    private const string OwnerSuffix = ".owner";

    /// <summary>A process as its id and start time, which an id reused by a later process does not share.</summary>
    private static string? Owner(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return $"{pid} {process.StartTime.ToUniversalTime().Ticks}";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stops the servers, and removes the folders, that earlier test runs started and could not stop: a run ended by
    /// <c>SIGKILL</c> never reaches <see cref="DisposeAsync"/>, and its server kept running beside the next run and any
    /// benchmark. A folder whose owner still runs belongs to a run in progress and is left alone.
    /// </summary>
    private static async Task StopOrphansAsync(bool asRoot, string pgCtl)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var ownerFile = folder + OwnerSuffix;
            if (File.Exists(ownerFile))
            {
                var owner = (await File.ReadAllTextAsync(ownerFile)).Trim();
                if (int.TryParse(owner.Split(' ')[0], out var pid) && Owner(pid) == owner)
                {
                    continue;
                }
            }
            else if (Directory.GetCreationTimeUtc(folder) > DateTime.UtcNow.AddHours(-1))
            {
                // Named by no owner: a run's that may still be starting, or one that began before owners were written.
                continue;
            }
            if (File.Exists(Path.Combine(folder, "postmaster.pid")))
            {
                try
                {
                    await RunAsPostgresAsync(asRoot, pgCtl, ["-D", folder, "-m", "immediate", "-w", "stop"]);
                }
                catch (InvalidOperationException)
                {
                    // Not running any more (its postmaster.pid stale): the folder goes all the same.
                }
            }
            try
            {
                Directory.Delete(folder, recursive: true);
                File.Delete(ownerFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.GetDirectories(root)
            .Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(bool asRoot, string program, string[] arguments) =>
        asRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
