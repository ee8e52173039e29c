using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using Npgsql;

namespace Herald.Server.Storage.Postgres;

/// <summary>
/// The multi-node engine. Migrations run under a transaction-scoped advisory lock so that nodes starting together
/// apply each step exactly once.
/// </summary>
public sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    private const long MigrationLockKey = 0x48_65_72_61_6C_64; // "Herald"

    /// <summary>
    /// Open connections kept for the next write transactions: at most two, and at most an eighth of the pool's
    /// <c>Maximum Pool Size</c> (none below 8), so that the kept ones, which the pool counts as in use, never crowd out
    /// the reads.
    /// </summary>
    internal int MaxWarmConnections { get; }

    /// <summary>
    /// A kept connection idle longer than this (on the machine's clock) goes back to the pool, which prunes its own idle
    /// connections.
    /// </summary>
    internal static readonly TimeSpan WarmIdleLimit = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly ConcurrentStack<(NpgsqlConnection Connection, long KeptAt)> _warm = new();
    private volatile bool _disposed;

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
        MaxWarmConnections = Math.Min(2, connection.MaxPoolSize / 8);
        DataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        Partitions = new PostgresPartitions(DataSource);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// Runs <paramref name="insert"/>, a statement that inserts a row of <paramref name="table"/> only while the
    /// organization (its <c>@org</c> parameter) keeps fewer rows than its limit, in a transaction that first takes the
    /// organization's lock for that table: inserts of one organization take turns (the lock ends with the transaction),
    /// so each counts the rows the one before it committed (READ COMMITTED gives every statement a fresh snapshot), and
    /// inserts racing each other cannot pass the limit. True when it inserted.
    /// </summary>
    public async Task<bool> InsertCountedAsync(string table, string organization, string insert, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = table + ":" + organization });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = new NpgsqlCommand(insert, connection, transaction);
        bind(command);
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

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

    /// <summary>
    /// An open connection for a write transaction: the one given back last, when one is kept and has not idled past
    /// <see cref="WarmIdleLimit"/>, else one from the pool. The pool hands out its idle connections in turn, oldest
    /// first, so the node's group commit, one transaction at a time, went through every connection the pool had ever
    /// opened (35 in the benchmark), each served by its own server process with cold caches: 0.15 to 0.18 ms of the
    /// server's CPU per delivery, against 0.10 to 0.11 with the pool held to 6. Kept here, the last connection used is
    /// the next one used.
    /// </summary>
    internal async ValueTask<NpgsqlConnection> TakeWriteConnectionAsync(CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        while (_warm.TryPop(out var kept))
        {
            if (kept.Connection.FullState == ConnectionState.Open && Stopwatch.GetElapsedTime(kept.KeptAt, now) <= WarmIdleLimit)
            {
                return kept.Connection;
            }
            await kept.Connection.DisposeAsync();
        }
        return await DataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>
    /// Takes back a connection of <see cref="TakeWriteConnectionAsync"/> once its transaction is over: kept for the next
    /// one when its transaction committed and fewer than <see cref="MaxWarmConnections"/> are kept, else closed (back
    /// to the pool). A connection whose transaction failed is never kept.
    /// </summary>
    internal async ValueTask GiveBackAsync(NpgsqlConnection connection, bool committed)
    {
        if (committed && !_disposed && connection.FullState == ConnectionState.Open && TryKeep(connection))
        {
            if (_disposed)
            {
                await CloseWarmAsync();
            }
            return;
        }
        await connection.DisposeAsync();
    }

    /// <summary>
    /// Keeps <paramref name="connection"/> unless <see cref="MaxWarmConnections"/> are kept already. The count and the push
    /// are one step: two transactions given back at once both saw room for one and kept three, and the next write then
    /// closed the third it took instead of keeping it. Takes need no lock: they only make room.
    /// </summary>
    private bool TryKeep(NpgsqlConnection connection)
    {
        lock (_warm)
        {
            if (_warm.Count >= MaxWarmConnections)
            {
                return false;
            }
            _warm.Push((connection, Stopwatch.GetTimestamp()));
            return true;
        }
    }

    /// <summary>How many open connections are kept for write transactions (for tests).</summary>
    internal int WarmConnections => _warm.Count;

    /// <summary>
    /// Closes every kept connection, and has the pool close its idle ones: after one connection ended under a write,
    /// the others most likely went to the same server and ended with it.
    /// </summary>
    internal async Task DropKeptConnectionsAsync()
    {
        await CloseWarmAsync();
        DataSource.Clear();
    }

    private async Task CloseWarmAsync()
    {
        while (_warm.TryPop(out var kept))
        {
            await kept.Connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await CloseWarmAsync();
        try
        {
            // An analyze under way is let finish; one that takes longer is cut off with the data source.
            await Partitions.Refreshed.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
        await DataSource.DisposeAsync();
    }
}
