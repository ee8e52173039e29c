using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Support;

/// <summary>
/// Herald as the tests run it: the real Program on real Kestrel (a free loopback port), on a SQLite file in a
/// fresh folder (or a given PostgreSQL database), with a fake clock and two organizations' tokens.
/// </summary>
public sealed class HeraldApp : WebApplicationFactory<Program>
{
    public const string OrgA = "org-a";
    public const string OrgB = "org-b";
    public const string TokenA = "token-for-org-a";
    public const string TokenB = "token-for-org-b";

    private readonly TempDirectory _data = new("herald-app");
    private readonly Dictionary<string, string?> _settings;

    public HeraldApp(IDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:DataDirectory"] = _data.Path,
            ["Storage:ConnectionString"] = $"Data Source={System.IO.Path.Combine(_data.Path, "herald.db")}",
            ["Secrets:MasterKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Auth:Tokens:0:Token"] = TokenA,
            ["Auth:Tokens:0:OrgId"] = OrgA,
            ["Auth:Tokens:1:Token"] = TokenB,
            ["Auth:Tokens:1:OrgId"] = OrgB,
            ["Signing:Issuer"] = "herald-tests",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        UseKestrel(0);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Moves <see cref="Clock"/> on by <paramref name="first"/>, then by 100 ms every 50 ms of real time until
    /// <paramref name="done"/> holds: for work due later that a background worker must notice.
    /// </summary>
    public async Task CreepUntilAsync(TimeSpan first, Func<bool> done, string what)
    {
        Clock.Advance(first);
        await Eventually.ReturnsAsync(() =>
        {
            Clock.Advance(TimeSpan.FromMilliseconds(100));
            return Task.FromResult(done());
        }, reached => reached, what, interval: TimeSpan.FromMilliseconds(50));
    }

    /// <summary>Runs the app on the system clock instead of <see cref="Clock"/>: for scenarios measured in real time (rates).</summary>
    public bool SystemClock { get; init; }

    public string DataDirectory => _data.Path;

    /// <summary>What the app logged, at the levels its settings let through.</summary>
    public LogLines Logs { get; } = new();

    /// <summary>A client on the real socket, authenticated as <paramref name="token"/> (none when null).</summary>
    public HttpClient Client(string? token = TokenA)
    {
        StartServer();
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>
    /// Why Herald refuses to start with <paramref name="settings"/> (the test fails when it starts). The test host
    /// sometimes reports a failed start as its own <see cref="ObjectDisposedException"/> (it reads the server's address
    /// from the provider the failed start already disposed), hiding the reason: then it starts again, up to five times.
    /// </summary>
    public static Exception StartFailure(IDictionary<string, string?> settings)
    {
        for (var tries = 1; ; tries++)
        {
            using var app = new HeraldApp(settings);
            var error = Xunit.Assert.ThrowsAny<Exception>(() => app.Client());
            if (error is not ObjectDisposedException || tries == 5)
            {
                return error;
            }
        }
    }

    /// <summary>The base address of the real socket, for clients outside this process.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    /// <summary>Runs one statement straight against this app's database, to stage states the API cannot produce.</summary>
    public async Task ExecuteSqlAsync(string sql) => await RunSqlAsync(sql, command => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

    /// <summary>Runs one query straight against this app's database and returns the first column of its first row.</summary>
    public Task<object?> ScalarAsync(string sql) => RunSqlAsync(sql, command => command.ExecuteScalarAsync(TestContext.Current.CancellationToken));

    private async Task<T> RunSqlAsync<T>(string sql, Func<System.Data.Common.DbCommand, Task<T>> run)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        if (_settings["Storage:Provider"] == "Postgres")
        {
            await using var connection = new Npgsql.NpgsqlConnection(_settings["Storage:ConnectionString"]);
            await connection.OpenAsync(cancellationToken);
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            return await run(command);
        }
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection(_settings["Storage:ConnectionString"] + ";Default Timeout=30");
        await sqlite.OpenAsync(cancellationToken);
        await using var statement = sqlite.CreateCommand();
        statement.CommandText = sql;
        return await run(statement);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(SystemClock ? TimeProvider.System : Clock);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _data.Dispose();
        }
    }
}
