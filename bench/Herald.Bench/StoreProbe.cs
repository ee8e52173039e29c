using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Herald.Bench;

/// <summary>
/// What Herald's database holds: jobs not yet finished, and events by status. Read straight from the tables. On
/// PostgreSQL the probe keeps one connection open, so its reads cost no backend start, and that backend's process id
/// (<see cref="BackendPid"/>) lets the server's CPU figure leave the probe's own work out.
/// </summary>
public sealed class StoreProbe(Engine engine, string connectionString) : IAsyncDisposable
{
    private DbConnection? _connection;

    public static StoreProbe Sqlite(string databaseFile) =>
        new(Engine.Sqlite, new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());

    public static StoreProbe Postgres(string connectionString) =>
        new(Engine.Postgres, new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());

    /// <summary>The PostgreSQL backend serving the probe, once it has read anything; null on SQLite.</summary>
    public int? BackendPid => (_connection as NpgsqlConnection)?.ProcessID;

    /// <summary>Opens the PostgreSQL connection now, so that its backend exists before a CPU figure is first read.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (engine == Engine.Postgres)
        {
            await ConnectionAsync(cancellationToken);
        }
    }

    public async Task<long> PendingJobsAsync(CancellationToken cancellationToken)
    {
        var (connection, owned) = await ConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM delivery_jobs";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            if (owned)
            {
                await connection.DisposeAsync();
            }
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> EventsByStatusAsync(CancellationToken cancellationToken)
    {
        var (connection, owned) = await ConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT status, COUNT(*) FROM webhook_events GROUP BY status";
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
            return counts;
        }
        finally
        {
            if (owned)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>SQLite: a fresh read-only connection per read (owned by the caller); PostgreSQL: the one kept open.</summary>
    private async Task<(DbConnection Connection, bool Owned)> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (engine == Engine.Sqlite)
        {
            var sqlite = new SqliteConnection(connectionString);
            await sqlite.OpenAsync(cancellationToken);
            return (sqlite, true);
        }
        if (_connection is null)
        {
            var postgres = new NpgsqlConnection(connectionString);
            await postgres.OpenAsync(cancellationToken);
            _connection = postgres;
        }
        return (_connection, false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
