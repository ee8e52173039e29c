using Npgsql;

namespace Herald.Server.Storage.Postgres;

/// <summary>
/// The multi-node engine. Migrations run under a transaction-scoped advisory lock so that nodes starting together
/// apply each step exactly once.
/// </summary>
public sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    private const long MigrationLockKey = 0x48_65_72_61_6C_64; // "Herald"

    private readonly TimeProvider _time;

    public PostgresDatabase(StorageOptions options, TimeProvider time)
    {
        _time = time;
        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString!);
        // The queue runs the same few statements thousands of times a second: let the server keep them parsed and
        // planned, unless the operator chose otherwise.
        if (connection.MaxAutoPrepare == 0 && !options.ConnectionString!.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            connection.MaxAutoPrepare = 64;
        }
        // A connection returned to the pool is not reset (RESET ALL, DISCARD, UNLISTEN and four more statements before
        // its next use, once per trigger's config read): Herald leaves no session state behind (its locks and settings
        // are the transaction's), unless the operator chose otherwise.
        if (!options.ConnectionString!.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            connection.NoResetOnClose = true;
        }
        DataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        Partitions = new PostgresPartitions(DataSource);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The day partitions of the event log's tables.</summary>
    public PostgresPartitions Partitions { get; }

    public StorageProvider Provider => StorageProvider.Postgres;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        foreach (var migration in PostgresMigrations.All)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var setup = new NpgsqlCommand(
                "SELECT pg_advisory_xact_lock(@key); CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL);",
                connection, transaction))
            {
                setup.Parameters.AddWithValue("key", MigrationLockKey);
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var check = new NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations WHERE version = @v", connection, transaction))
            {
                check.Parameters.AddWithValue("v", migration.Version);
                if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    continue;
                }
            }
            await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", connection, transaction))
            {
                record.Parameters.AddWithValue("v", migration.Version);
                record.Parameters.AddWithValue("n", migration.Name);
                record.Parameters.AddWithValue("t", _time.GetUtcNow());
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        // Today's partitions; any other day's come with the first row written for it.
        await Partitions.EnsureDaysAsync([PostgresPartitions.DayOf(_time.GetUtcNow())], cancellationToken);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = DataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken) is not null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
