using Herald.Server.Http;
using System.Text;
using Herald.Server.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Server.Events;

public sealed class PostgresEventStore(PostgresDatabase database) : IEventStore
{
    public async Task<EventRecord?> GetAsync(OrganizationId orgId, WebhookEventId eventId, CancellationToken cancellationToken)
    {
        // The id's time names the day partitions to read (EventIdTime).
        var (from, to) = EventIdTime.Window(eventId.Value);
        await using var command = database.DataSource.CreateCommand($"SELECT {EventRow.Columns} FROM {EventRow.From} WHERE event_id = $1 AND org_id = $2 AND created_at BETWEEN $3 AND $4");
        command.Parameters.Add(new NpgsqlParameter { Value = eventId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = orgId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
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
        var (from, to) = EventIdTime.Window(eventIds);
        await using var command = database.DataSource.CreateCommand($"SELECT {EventRow.Columns} FROM {EventRow.From} WHERE event_id = ANY($1) AND created_at BETWEEN $2 AND $3");
        command.Parameters.Add(new NpgsqlParameter { Value = eventIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
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
        await using var command = ListCommand(orgId, configId, query, explain: false);
        var events = new List<EventRecord>(query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }
        return events;
    }

    /// <summary>The query plan of <see cref="ListAsync"/> (<c>EXPLAIN</c>), one line per node.</summary>
    internal async Task<string> ExplainListAsync(OrganizationId orgId, ConfigId configId, EventQuery query, CancellationToken cancellationToken)
    {
        await using var command = ListCommand(orgId, configId, query, explain: true);
        var plan = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            plan.AppendLine(reader.GetString(0));
        }
        return plan.ToString();
    }

    /// <summary>The same shape as on SQLite: a range on <c>created_at</c> plus a tie-break on <c>event_id</c>.</summary>
    private NpgsqlCommand ListCommand(OrganizationId orgId, ConfigId configId, EventQuery query, bool explain)
    {
        var parameters = new List<NpgsqlParameter>();
        string Next(object value, NpgsqlDbType type)
        {
            parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            return "$" + parameters.Count;
        }

        var sql = new StringBuilder(explain ? "EXPLAIN " : "");
        sql.Append($"SELECT {EventRow.Columns} FROM {EventRow.From} WHERE org_id = {Next(orgId.Value, NpgsqlDbType.Text)} AND config_id = {Next(configId.Value, NpgsqlDbType.Text)}");
        if (query.After is { } after)
        {
            var at = Next(after.CreatedAt, NpgsqlDbType.TimestampTz);
            sql.Append($" AND created_at <= {at} AND (created_at < {at} OR event_id < {Next(after.EventId, NpgsqlDbType.Text)})");
        }
        if (query.From is { } from)
        {
            sql.Append($" AND created_at >= {Next(from, NpgsqlDbType.TimestampTz)}");
        }
        if (query.To is { } to)
        {
            sql.Append($" AND created_at <= {Next(to, NpgsqlDbType.TimestampTz)}");
        }
        if (query.Status is { } status)
        {
            sql.Append($" AND status = {Next(status.ToContract(), NpgsqlDbType.Text)}");
        }
        if (query.EventId is { } eventId)
        {
            var (earliest, latest) = EventIdTime.Window(eventId);
            sql.Append($" AND event_id = {Next(eventId, NpgsqlDbType.Text)} AND created_at BETWEEN {Next(earliest, NpgsqlDbType.TimestampTz)} AND {Next(latest, NpgsqlDbType.TimestampTz)}");
        }
        sql.Append($" ORDER BY created_at DESC, event_id DESC LIMIT {Next(query.Limit, NpgsqlDbType.Integer)}");

        var command = database.DataSource.CreateCommand(sql.ToString());
        command.Parameters.AddRange(parameters.ToArray());
        return command;
    }

    public async Task<int> CountAsync(OrganizationId orgId, ConfigId configId, EventStatus status, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT COUNT(*) FROM webhook_events
            WHERE org_id = $1 AND config_id = $2 AND created_at >= $3 AND created_at <= $4 AND status = $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = orgId.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = configId.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = status.ToContract(), NpgsqlDbType = NpgsqlDbType.Text });
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<EventCursor>> KeysOldestFirstAsync(
        OrganizationId orgId, ConfigId configId, EventStatus status, DateTimeOffset from, DateTimeOffset to, EventCursor? after, int limit, CancellationToken cancellationToken)
    {
        // The time bounds also prune the day partitions to the window's.
        await using var command = database.DataSource.CreateCommand($"""
            SELECT created_at, event_id FROM webhook_events
            WHERE org_id = $1 AND config_id = $2 AND created_at >= $3 AND created_at <= $4 AND status = $5
            {(after is null ? "" : "AND created_at >= $7 AND (created_at > $7 OR event_id > $8)")}
            ORDER BY created_at, event_id LIMIT $6
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = orgId.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = configId.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = status.ToContract(), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        if (after is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = after.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = after.EventId, NpgsqlDbType = NpgsqlDbType.Text });
        }
        var keys = new List<EventCursor>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new EventCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1)));
        }
        return keys;
    }

    public async Task<AttemptPage> AttemptsAsync(OrganizationId orgId, WebhookEventId eventId, long? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"""
            SELECT {EventRow.AttemptColumns}, attempt_id
            FROM delivery_attempts WHERE event_id = $1 AND org_id = $2 AND started_at >= $3 AND attempt_id > $4 ORDER BY attempt_id LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = eventId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = orgId.Value });
        // No try starts before its event: the days before the event's are not read.
        command.Parameters.Add(new NpgsqlParameter { Value = EventIdTime.Window(eventId.Value).From });
        command.Parameters.Add(new NpgsqlParameter { Value = after ?? 0L });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)limit + 1 });
        var attempts = new List<(DeliveryAttempt, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add((ReadAttempt(reader), reader.GetInt64(EventRow.AttemptColumnCount)));
        }
        return EventRow.Page(attempts, limit);
    }

    /// <summary>
    /// One statement, so one transaction. <c>SKIP LOCKED</c> lets several nodes purge at once without waiting for
    /// each other; an event whose job is being written right now is simply left for the next pass.
    /// </summary>
    public async Task<int> PurgeEventsAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        // Two statements in one batch, one transaction: the second sees what the first deleted.
        await using var batch = database.DataSource.CreateBatch();
        var command = new NpgsqlBatchCommand("""
            WITH doomed AS (
                SELECT e.event_id FROM webhook_events e
                WHERE e.created_at < $1 AND NOT EXISTS (SELECT 1 FROM delivery_jobs j WHERE j.event_id = e.event_id)
                ORDER BY e.created_at LIMIT $2
                FOR UPDATE SKIP LOCKED),
            attempts AS (
                DELETE FROM delivery_attempts a USING doomed d WHERE a.event_id = d.event_id),
            events AS (
                DELETE FROM webhook_events w USING doomed d WHERE w.event_id = d.event_id RETURNING w.event_id)
            SELECT COUNT(*)::int FROM events
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        batch.BatchCommands.Add(command);
        // The shared inputs of fan-outs whose last event is gone. A shared input is older than its events, and only its
        // own fan-out's events (written with it) ever name it, so once none is left none will come. Should two nodes
        // purge the last events of one fan-out at once, neither may see the other's deletes: the next pass sweeps it.
        var sweep = new NpgsqlBatchCommand("""
            DELETE FROM event_inputs WHERE input_id IN (
                SELECT i.input_id FROM event_inputs i
                WHERE i.stored_at < $1 AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.input_id = i.input_id)
                LIMIT $2 FOR UPDATE SKIP LOCKED)
            """);
        sweep.Parameters.Add(new NpgsqlParameter { Value = cutoff });
        sweep.Parameters.Add(new NpgsqlParameter { Value = max });
        batch.BatchCommands.Add(sweep);
        return (int)(await batch.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<int> PurgeAttemptsAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            DELETE FROM delivery_attempts WHERE attempt_id IN (
                SELECT attempt_id FROM delivery_attempts WHERE started_at < $1 ORDER BY started_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static EventRecord Read(NpgsqlDataReader reader) => EventRow.Read(reader, Time);

    private static DeliveryAttempt ReadAttempt(NpgsqlDataReader reader) => EventRow.ReadAttempt(reader, Time);

    private static DateTimeOffset Time(System.Data.Common.DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
