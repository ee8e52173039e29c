using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Server.Events;

/// <summary>
/// The event log's writes on PostgreSQL: statements added to the session's next round trip, none answering rows, so
/// they travel with the statements of the same transaction that do (the jobs' ids, say) or with the commit.
/// </summary>
public sealed class PostgresEventWriter : IEventWriter
{
    public async Task InsertAsync(WriteSession session, IReadOnlyList<EventRecord> events, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        // A shared input is stored at its first event's time: the events' days are the inputs' days.
        await pg.Partitions.EnsureDaysAsync(events.Select(e => PostgresPartitions.DayOf(e.CreatedAt)), cancellationToken);
        HashSet<string>? sharedWritten = null;
        foreach (var e in events)
        {
            if (e.Shared is { } shared && (sharedWritten ??= new(StringComparer.Ordinal)).Add(shared.Id))
            {
                // A fan-out's payload, once, before the first of its events.
                pg.Add("""
                    INSERT INTO event_inputs (input_id, stored_at, body, slots, metadata_start, metadata_end) VALUES ($1, $2, $3, $4, $5, $6)
                    """, [shared.Id, e.CreatedAt, shared.Body, shared.SlotsText, shared.MetadataStart, shared.MetadataEnd]);
            }
            pg.Add("""
                INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, original_payload, http_response, start_date, end_date, input_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                """, [e.EventId, e.OrgId, e.ConfigId, e.EventName, e.CreatedAt, e.Status.ToContract(), e.RetryAttempt, e.HttpMethod, e.Url, e.Metadata, e.Input, e.Payload,
                e.OriginalPayload, e.HttpResponse, e.StartDate, e.EndDate, e.Shared?.Id]);
        }
    }

    public Task UpdateAsync(WriteSession session, IReadOnlyList<EventUpdate> updates, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        foreach (var u in updates)
        {
            var command = PostgresWriteSession.Command("""
                UPDATE webhook_events
                SET status = $2, retry_attempt = COALESCE($3, retry_attempt), payload = COALESCE($4, payload), original_payload = COALESCE($5, original_payload),
                    http_response = COALESCE($6, http_response), start_date = COALESCE(start_date, $7), end_date = $8
                WHERE event_id = $1
                """, [u.EventId, u.Status.ToContract(), u.RetryAttempt, u.Payload, u.OriginalPayload, u.HttpResponse, u.StartDate, u.EndDate]);
            // Typed, so a null keeps the stored value whatever its column.
            command.Parameters[2].NpgsqlDbType = NpgsqlDbType.Integer;
            command.Parameters[6].NpgsqlDbType = NpgsqlDbType.TimestampTz;
            command.Parameters[7].NpgsqlDbType = NpgsqlDbType.TimestampTz;
            pg.Add(command);
        }
        return Task.CompletedTask;
    }

    public async Task AddAttemptsAsync(WriteSession session, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        await pg.Partitions.EnsureDaysAsync(attempts.Select(a => PostgresPartitions.DayOf(a.StartedAt)), cancellationToken);
        foreach (var a in attempts)
        {
            pg.Add("""
                INSERT INTO delivery_attempts (event_id, org_id, number, kind, started_at, duration_ms, status_code, code, message, response_excerpt, after_reclaim)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, [a.EventId, a.OrgId, a.Number, a.Kind.ToContract(), a.StartedAt, a.DurationMs, a.StatusCode, a.Code?.ToWire(), a.Message, a.ResponseExcerpt, a.AfterReclaim]);
        }
    }

    public async Task<IReadOnlySet<string>> ExistingAsync(WriteSession session, string orgId, string configId, IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        var command = PostgresWriteSession.Command("SELECT event_id FROM webhook_events WHERE org_id = $1 AND config_id = $2 AND event_id = ANY($3)", [orgId, configId, eventIds.ToArray()]);
        command.Parameters[2].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
        pg.Add(command, (NpgsqlDataReader reader) => found.Add(reader.GetString(0)));
        await pg.RunAsync(cancellationToken);
        return found;
    }
}
