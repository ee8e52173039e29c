using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Herald.Server.Tests.Support;

/// <summary>One row of <c>delivery_attempts</c>.</summary>
public sealed record AttemptRow(string EventId, int Number, int? StatusCode, string? Code, bool AfterReclaim);

/// <summary>
/// The delivery tables as a test reads them straight from the database, with the same SQL on both engines: every
/// event's status, every attempt, and how many jobs are left in the queue.
/// </summary>
public sealed record QueueSnapshot(IReadOnlyDictionary<string, string> EventStatus, IReadOnlyList<AttemptRow> Attempts, int JobsLeft)
{
    public ILookup<string, AttemptRow> AttemptsByEvent => Attempts.ToLookup(a => a.EventId);

    /// <summary>Reads a SQLite file, read-only; safe while a server is using it.</summary>
    public static async Task<QueueSnapshot> ReadSqliteAsync(string databaseFile, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // A deferred transaction: the default one begins IMMEDIATE, which asks for the write lock.
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await ReadAsync(connection, transaction, cancellationToken);
    }

    public static async Task<QueueSnapshot> ReadPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        return await ReadAsync(connection, transaction, cancellationToken);
    }

    /// <summary>Three reads in one transaction, so that they see the same moment.</summary>
    private static async Task<QueueSnapshot> ReadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {

        var events = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = Command(connection, transaction, "SELECT event_id, status FROM webhook_events"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                events[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var attempts = new List<AttemptRow>();
        await using (var command = Command(connection, transaction, "SELECT event_id, number, status_code, code, after_reclaim FROM delivery_attempts ORDER BY attempt_id"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                attempts.Add(new AttemptRow(
                    reader.GetString(0),
                    Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                    reader.IsDBNull(2) ? null : Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    Convert.ToBoolean(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        int jobs;
        await using (var command = Command(connection, transaction, "SELECT COUNT(*) FROM delivery_jobs"))
        {
            jobs = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        await transaction.CommitAsync(cancellationToken);
        return new QueueSnapshot(events, attempts, jobs);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
