using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Events;

/// <summary>The event log's writes on SQLite: statements compiled once on the write lane's connection.</summary>
public sealed class SqliteEventWriter : IEventWriter
{
    private const string InsertEvent = """
        INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, original_payload, http_response, start_date, end_date, input_id)
        VALUES ($id, $org, $config, $name, $created, $status, $retry, $method, $url, $metadata, $input, $payload, $original, $response, $start, $end, $input_id)
        """;

    private const string InsertSharedInput = """
        INSERT INTO event_inputs (input_id, stored_at, body, slots, metadata_start, metadata_end)
        VALUES ($id, $stored, $body, $slots, $start, $end)
        """;

    private const string Update = """
        UPDATE webhook_events
        SET status = $status, retry_attempt = COALESCE($retry, retry_attempt), payload = COALESCE($payload, payload), original_payload = COALESCE($original, original_payload),
            http_response = COALESCE($response, http_response), start_date = COALESCE(start_date, $start), end_date = $end
        WHERE event_id = $id
        """;

    private const string InsertAttempt = """
        INSERT INTO delivery_attempts (event_id, org_id, number, kind, started_at, duration_ms, status_code, code, message, response_excerpt, after_reclaim, request)
        VALUES ($event, $org, $number, $kind, $started, $duration, $status, $code, $message, $excerpt, $reclaim, $request)
        """;

    public async Task InsertAsync(WriteSession session, IReadOnlyList<EventRecord> events, CancellationToken cancellationToken)
    {
        var lane = session.As<SqliteWriteLane.Session>();
        var insert = lane.Prepare(InsertEvent, "$id", "$org", "$config", "$name", "$created", "$status", "$retry", "$method", "$url", "$metadata", "$input", "$payload", "$original", "$response", "$start", "$end", "$input_id");
        HashSet<string>? sharedWritten = null;
        foreach (var e in events)
        {
            if (e.Shared is { } shared && (sharedWritten ??= new(StringComparer.Ordinal)).Add(shared.Id))
            {
                // A fan-out's payload, once, before the first of its events.
                await lane.Prepare(InsertSharedInput, "$id", "$stored", "$body", "$slots", "$start", "$end")
                    .Bind(shared.Id, SqliteTime.ToText(e.CreatedAt), shared.Body, shared.SlotsText, shared.MetadataStart, shared.MetadataEnd)
                    .Command.ExecuteNonQueryAsync(cancellationToken);
            }
            insert.Bind(e.EventId.Value, e.OrgId.Value, e.ConfigId.Value, e.EventName, SqliteTime.ToText(e.CreatedAt), e.Status.ToContract(), e.RetryAttempt, e.HttpMethod, e.Url,
                e.Metadata, e.Input, e.Payload, e.OriginalPayload, e.HttpResponse, Time(e.StartDate), Time(e.EndDate), e.Shared?.Id);
            await insert.Command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task UpdateAsync(WriteSession session, IReadOnlyList<EventUpdate> updates, CancellationToken cancellationToken)
    {
        var update = session.As<SqliteWriteLane.Session>().Prepare(Update, "$id", "$status", "$retry", "$payload", "$original", "$response", "$start", "$end");
        foreach (var u in updates)
        {
            await update.Bind(u.EventId.Value, u.Status.ToContract(), u.RetryAttempt, u.Payload, u.OriginalPayload, u.HttpResponse, Time(u.StartDate), Time(u.EndDate))
                .Command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task AddAttemptsAsync(WriteSession session, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        var insert = session.As<SqliteWriteLane.Session>().Prepare(InsertAttempt,
            "$event", "$org", "$number", "$kind", "$started", "$duration", "$status", "$code", "$message", "$excerpt", "$reclaim", "$request");
        foreach (var a in attempts)
        {
            await insert.Bind(a.EventId.Value, a.OrgId.Value, a.Number, a.Kind.ToContract(), SqliteTime.ToText(a.StartedAt), a.DurationMs, a.StatusCode, a.Code?.ToWire(), a.Message,
                a.ResponseExcerpt, a.AfterReclaim ? 1 : 0, a.Request).Command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlySet<string>> ExistingAsync(WriteSession session, OrganizationId orgId, ConfigId configId, IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        var select = session.As<SqliteWriteLane.Session>().Prepare(
            "SELECT event_id FROM webhook_events WHERE org_id = $org AND config_id = $config AND event_id IN (SELECT value FROM json_each($ids))", "$org", "$config", "$ids");
        select.Bind(orgId.Value, configId.Value, System.Text.Json.JsonSerializer.Serialize(eventIds));
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await select.Command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }

    private static string? Time(DateTimeOffset? value) => value is { } v ? SqliteTime.ToText(v) : null;
}
