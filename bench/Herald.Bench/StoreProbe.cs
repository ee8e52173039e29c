using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Herald.Bench;

/// <summary>What Herald's database holds: jobs not yet finished, and events by status. Read straight from the tables.</summary>
public sealed class StoreProbe(Engine engine, string connectionString)
{
    public static StoreProbe Sqlite(string databaseFile) =>
        new(Engine.Sqlite, new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());

    public static StoreProbe Postgres(string connectionString) =>
        new(Engine.Postgres, new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());

    public async Task<long> PendingJobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM delivery_jobs";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyDictionary<string, long>> EventsByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
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

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = engine == Engine.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
