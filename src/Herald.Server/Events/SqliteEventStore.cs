using Herald.Server.Http;
using System.Text;
using System.Text.Json;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Events;

public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore
{
    public async Task<EventRecord?> GetAsync(OrganizationId orgId, WebhookEventId eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventRow.Columns} FROM {EventRow.From} WHERE event_id = $id AND org_id = $org";
        command.Parameters.AddWithValue("$id", eventId.Value);
        command.Parameters.AddWithValue("$org", orgId.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyDictionary<string, EventRecord>> FindAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, EventRecord>(eventIds.Count, StringComparer.Ordinal);
        if (eventIds.Count == 0)
        {
            return found;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventRow.Columns} FROM {EventRow.From} WHERE event_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(eventIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = Read(reader);
            found[stored.EventId.Value] = stored;
        }
        return found;
    }

    public async Task<IReadOnlyList<EventRecord>> ListAsync(OrganizationId orgId, ConfigId configId, EventQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = ListCommand(connection, orgId, configId, query);
        var events = new List<EventRecord>(query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }
        return events;
    }

    /// <summary>The query plan of <see cref="ListAsync"/> (<c>EXPLAIN QUERY PLAN</c>), one line per step.</summary>
    internal async Task<string> ExplainListAsync(OrganizationId orgId, ConfigId configId, EventQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = ListCommand(connection, orgId, configId, query);
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            plan.AppendLine(reader.GetString(3));
        }
        return plan.ToString();
    }

    /// <summary>
    /// The cursor condition is spelled as a range on <c>created_at</c> plus a tie-break, so that SQLite seeks into
    /// the page index instead of scanning the config's newer events.
    /// </summary>
    private static SqliteCommand ListCommand(SqliteConnection connection, OrganizationId orgId, ConfigId configId, EventQuery query)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {EventRow.Columns} FROM {EventRow.From} WHERE org_id = $org AND config_id = $config");
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$config", configId.Value);
        if (query.After is { } after)
        {
            sql.Append(" AND created_at <= $after_at AND (created_at < $after_at OR event_id < $after_id)");
            command.Parameters.AddWithValue("$after_at", SqliteTime.ToText(after.CreatedAt));
            command.Parameters.AddWithValue("$after_id", after.EventId);
        }
        if (query.From is { } from)
        {
            sql.Append(" AND created_at >= $from");
            command.Parameters.AddWithValue("$from", SqliteTime.ToText(from));
        }
        if (query.To is { } to)
        {
            sql.Append(" AND created_at <= $to");
            command.Parameters.AddWithValue("$to", SqliteTime.ToText(to));
        }
        if (query.Status is { } status)
        {
            sql.Append(" AND status = $status");
            command.Parameters.AddWithValue("$status", status.ToContract());
        }
        if (query.EventId is { } eventId)
        {
            sql.Append(" AND event_id = $event_id");
            command.Parameters.AddWithValue("$event_id", eventId);
        }
        sql.Append(" ORDER BY created_at DESC, event_id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = sql.ToString();
        return command;
    }

    public async Task<int> CountAsync(OrganizationId orgId, ConfigId configId, EventStatus status, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM webhook_events
            WHERE org_id = $org AND config_id = $config AND created_at >= $from AND created_at <= $to AND status = $status
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$config", configId.Value);
        command.Parameters.AddWithValue("$from", SqliteTime.ToText(from));
        command.Parameters.AddWithValue("$to", SqliteTime.ToText(to));
        command.Parameters.AddWithValue("$status", status.ToContract());
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<EventCursor>> KeysOldestFirstAsync(
        OrganizationId orgId, ConfigId configId, EventStatus status, DateTimeOffset from, DateTimeOffset to, EventCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // As in the list, the cursor is a range on created_at plus a tie-break, so SQLite seeks into the index.
        command.CommandText = $"""
            SELECT created_at, event_id FROM webhook_events
            WHERE org_id = $org AND config_id = $config AND created_at >= $from AND created_at <= $to AND status = $status
            {(after is null ? "" : "AND created_at >= $after_at AND (created_at > $after_at OR event_id > $after_id)")}
            ORDER BY created_at, event_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$config", configId.Value);
        command.Parameters.AddWithValue("$from", SqliteTime.ToText(from));
        command.Parameters.AddWithValue("$to", SqliteTime.ToText(to));
        command.Parameters.AddWithValue("$status", status.ToContract());
        command.Parameters.AddWithValue("$limit", limit);
        if (after is not null)
        {
            command.Parameters.AddWithValue("$after_at", SqliteTime.ToText(after.CreatedAt));
            command.Parameters.AddWithValue("$after_id", after.EventId);
        }
        var keys = new List<EventCursor>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new EventCursor(SqliteTime.Parse(reader.GetString(0)), reader.GetString(1)));
        }
        return keys;
    }

    public async Task<AttemptPage> AttemptsAsync(OrganizationId orgId, WebhookEventId eventId, long? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {EventRow.AttemptColumns}, attempt_id
            FROM delivery_attempts WHERE event_id = $id AND org_id = $org AND attempt_id > $after ORDER BY attempt_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$id", eventId.Value);
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$after", after ?? 0);
        command.Parameters.AddWithValue("$limit", (long)limit + 1);
        var attempts = new List<(DeliveryAttempt, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add((ReadAttempt(reader), reader.GetInt64(EventRow.AttemptColumnCount)));
        }
        return EventRow.Page(attempts, limit);
    }

    /// <summary>
    /// The shared inputs of fan-outs whose last event is gone. A shared input is older than its events, and only its
    /// own fan-out's events (written with it) ever name it, so once none is left none will come.
    /// </summary>
    private const string SweepSharedInputs = """
        DELETE FROM event_inputs WHERE input_id IN (
            SELECT i.input_id FROM event_inputs i
            WHERE i.stored_at < $cutoff AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.input_id = i.input_id)
            LIMIT $max)
        """;

    public async Task<int> PurgeEventsAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // IMMEDIATE: the batch is chosen and deleted under the write lock, so no job can be enqueued for it in between.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = """
            SELECT e.event_id FROM webhook_events e
            WHERE e.created_at < $cutoff AND NOT EXISTS (SELECT 1 FROM delivery_jobs j WHERE j.event_id = e.event_id)
            ORDER BY e.created_at LIMIT $max
            """;
        select.Parameters.AddWithValue("$cutoff", SqliteTime.ToText(cutoff));
        select.Parameters.AddWithValue("$max", max);
        var ids = new List<string>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }
        if (ids.Count > 0)
        {
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = """
                DELETE FROM delivery_attempts WHERE event_id IN (SELECT value FROM json_each($ids));
                DELETE FROM webhook_events WHERE event_id IN (SELECT value FROM json_each($ids));
                """;
            delete.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ids));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var sweep = connection.CreateCommand();
        sweep.Transaction = transaction;
        sweep.CommandText = SweepSharedInputs;
        sweep.Parameters.AddWithValue("$cutoff", SqliteTime.ToText(cutoff));
        sweep.Parameters.AddWithValue("$max", max);
        await sweep.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids.Count;
    }

    public async Task<int> PurgeAttemptsAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM delivery_attempts WHERE attempt_id IN (
                SELECT attempt_id FROM delivery_attempts WHERE started_at < $cutoff ORDER BY started_at LIMIT $max)
            """;
        command.Parameters.AddWithValue("$cutoff", SqliteTime.ToText(cutoff));
        command.Parameters.AddWithValue("$max", max);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static EventRecord Read(SqliteDataReader reader) => EventRow.Read(reader, Time);

    private static DeliveryAttempt ReadAttempt(SqliteDataReader reader) => EventRow.ReadAttempt(reader, Time);

    private static DateTimeOffset Time(System.Data.Common.DbDataReader reader, int ordinal) => SqliteTime.Parse(reader.GetString(ordinal));
}
