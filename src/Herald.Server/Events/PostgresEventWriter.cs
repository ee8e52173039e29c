using Herald.Server.Http;
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
        if (events.Count == 0)
        {
            return;
        }
        var pg = session.As<PostgresWriteSession>();
        // A shared input is stored at its first event's time: the events' days are the inputs' days.
        await pg.Partitions.EnsureDaysAsync(events.Select(e => PostgresPartitions.DayOf(e.CreatedAt)), cancellationToken);
        HashSet<string>? sharedWritten = null;
        foreach (var e in events)
        {
            if (e.Shared is { } shared && (sharedWritten ??= new(StringComparer.Ordinal)).Add(shared.Id))
            {
                // A fan-out's payload, once, with its first event.
                pg.Add("""
                    INSERT INTO event_inputs (input_id, stored_at, body, slots, metadata_start, metadata_end) VALUES ($1, $2, $3, $4, $5, $6)
                    """, [shared.Id, e.CreatedAt, shared.Body, shared.SlotsText, shared.MetadataStart, shared.MetadataEnd]);
            }
        }
        // The events of every writer of this round trip (the triggers of one group commit) go as one statement.
        pg.Gather(nameof(InsertAsync), events, InsertAll);
        CountByDay(pg.Partitions, "webhook_events", events, e => e.CreatedAt);
    }

    private static NpgsqlBatchCommand InsertAll(IReadOnlyList<EventRecord> events) => PostgresWriteSession.Command("""
        INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, original_payload, http_response, start_date, end_date, input_id)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::integer[], $8::text[], $9::text[], $10::text[],
                             $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[], $17::text[])
        """, [events.Select(e => e.EventId.Value).ToArray(), events.Select(e => e.OrgId.Value).ToArray(), events.Select(e => e.ConfigId.Value).ToArray(),
        events.Select(e => e.EventName).ToArray(), events.Select(e => e.CreatedAt).ToArray(), events.Select(e => e.Status.ToContract()).ToArray(),
        events.Select(e => e.RetryAttempt).ToArray(), events.Select(e => e.HttpMethod).ToArray(), events.Select(e => e.Url).ToArray(),
        events.Select(e => e.Metadata).ToArray(), events.Select(e => e.Input).ToArray(), events.Select(e => (string?)e.Payload).ToArray(),
        events.Select(e => e.OriginalPayload).ToArray(), events.Select(e => e.HttpResponse).ToArray(), events.Select(e => e.StartDate).ToArray(),
        events.Select(e => e.EndDate).ToArray(), events.Select(e => e.Shared?.Id).ToArray()]);

    /// <summary>
    /// The events' new states ($1 to $8, arrays of one element per event), within $9 to $10. Planned while the day's
    /// partition is small, it reads the whole partition; see <see cref="PostgresPartitions.Wrote"/> for how that plan
    /// is replaced.
    /// </summary>
    internal const string UpdateSql = """
        UPDATE webhook_events AS e
        SET status = u.status, retry_attempt = COALESCE(u.retry_attempt, e.retry_attempt), payload = COALESCE(u.payload, e.payload),
            original_payload = COALESCE(u.original_payload, e.original_payload), http_response = COALESCE(u.http_response, e.http_response),
            start_date = COALESCE(e.start_date, u.start_date), end_date = u.end_date
        FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[])
            AS u(event_id, status, retry_attempt, payload, original_payload, http_response, start_date, end_date)
        WHERE e.event_id = u.event_id AND e.created_at BETWEEN $9 AND $10
        """;

    /// <summary>
    /// One statement for the whole batch (its values in arrays), bounded to the day partitions of its events' ids. A
    /// batch naming one event twice goes one statement per update instead, in order, so the later one wins.
    /// </summary>
    public Task UpdateAsync(WriteSession session, IReadOnlyList<EventUpdate> updates, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        var ids = updates.Select(u => u.EventId.Value).ToArray();
        foreach (var batch in ids.Distinct(StringComparer.Ordinal).Count() == ids.Length ? [updates] : updates.Select(u => (IReadOnlyList<EventUpdate>)[u]))
        {
            var (from, to) = EventIdTime.Window(batch.Select(u => u.EventId.Value));
            var command = PostgresWriteSession.Command(UpdateSql, [batch.Select(u => u.EventId.Value).ToArray(), batch.Select(u => u.Status.ToContract()).ToArray(), batch.Select(u => u.RetryAttempt).ToArray(),
                batch.Select(u => u.Payload).ToArray(), batch.Select(u => u.OriginalPayload).ToArray(), batch.Select(u => u.HttpResponse).ToArray(),
                batch.Select(u => u.StartDate).ToArray(), batch.Select(u => u.EndDate).ToArray(), from, to]);
            pg.Add(command);
        }
        return Task.CompletedTask;
    }

    /// <summary>Tells the partitions how many rows go into each day (see <see cref="PostgresPartitions.Wrote"/>).</summary>
    private static void CountByDay<T>(PostgresPartitions partitions, string table, IReadOnlyList<T> rows, Func<T, DateTimeOffset> at)
    {
        // A batch's rows are of one day but near midnight: each run of one day is counted as it ends.
        var count = 0;
        var day = default(DateOnly);
        foreach (var row in rows)
        {
            var rowDay = PostgresPartitions.DayOf(at(row));
            if (count > 0 && rowDay != day)
            {
                partitions.Wrote(table, day, count);
                count = 0;
            }
            day = rowDay;
            count++;
        }
        if (count > 0)
        {
            partitions.Wrote(table, day, count);
        }
    }

    /// <summary>One statement for the whole batch, its values in arrays, written in the batch's order.</summary>
    public async Task AddAttemptsAsync(WriteSession session, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        await pg.Partitions.EnsureDaysAsync(attempts.Select(a => PostgresPartitions.DayOf(a.StartedAt)), cancellationToken);
        pg.Add("""
            INSERT INTO delivery_attempts (event_id, org_id, number, kind, started_at, duration_ms, status_code, code, message, response_excerpt, after_reclaim, request)
            SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::timestamptz[], $6::integer[], $7::integer[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[])
            """, [attempts.Select(a => a.EventId.Value).ToArray(), attempts.Select(a => a.OrgId.Value).ToArray(), attempts.Select(a => a.Number).ToArray(),
            attempts.Select(a => a.Kind.ToContract()).ToArray(), attempts.Select(a => a.StartedAt).ToArray(), attempts.Select(a => a.DurationMs).ToArray(),
            attempts.Select(a => a.StatusCode).ToArray(), attempts.Select(a => a.Code?.ToWire()).ToArray(), attempts.Select(a => a.Message).ToArray(),
            attempts.Select(a => a.ResponseExcerpt).ToArray(), attempts.Select(a => a.AfterReclaim).ToArray(), attempts.Select(a => a.Request).ToArray()]);
        CountByDay(pg.Partitions, "delivery_attempts", attempts, a => a.StartedAt);
    }

    public async Task<IReadOnlySet<string>> ExistingAsync(WriteSession session, OrganizationId orgId, ConfigId configId, IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        var (from, to) = EventIdTime.Window(eventIds);
        var command = PostgresWriteSession.Command("SELECT event_id FROM webhook_events WHERE org_id = $1 AND config_id = $2 AND event_id = ANY($3) AND created_at BETWEEN $4 AND $5",
            [orgId.Value, configId.Value, eventIds.ToArray(), from, to]);
        command.Parameters[2].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
        pg.Add(command, (NpgsqlDataReader reader) => found.Add(reader.GetString(0)));
        await pg.RunAsync(cancellationToken);
        return found;
    }
}
