using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Herald.Bench.Events;

/// <summary>
/// Writes a synthetic event log straight into Herald's SQLite file, in batched transactions: events spread evenly
/// over the configs and over the last <paramref name="days"/> days, 85% succeeded, 10% failed, 5% skipped, with a
/// payload and input of realistic size.
/// </summary>
public static class SyntheticLog
{
    public const int BatchSize = 50_000;

    public static async Task<TimeSpan> FillAsync(string databasePath, IReadOnlyList<(string OrgId, string ConfigId)> configs, int count, DateTimeOffset now, int days)
    {
        var started = Stopwatch.GetTimestamp();
        var random = new Random(42);
        var span = TimeSpan.FromDays(days);
        await using var connection = new SqliteConnection($"Data Source={databasePath};Default Timeout=60");
        await connection.OpenAsync();
        for (var written = 0; written < count; written += BatchSize)
        {
            await using var transaction = connection.BeginTransaction();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, http_response, start_date, end_date)
                VALUES ($id, $org, $config, 'order_created', $created, $status, 0, 'POST', 'https://erp.example/hooks', $metadata, $input, $payload, $response, $created, $created)
                """;
            var parameters = new[] { "$id", "$org", "$config", "$created", "$status", "$metadata", "$input", "$payload", "$response" }
                .Select(name => insert.Parameters.Add(new SqliteParameter(name, null))).ToArray();
            for (var i = written; i < Math.Min(count, written + BatchSize); i++)
            {
                var (orgId, configId) = configs[i % configs.Count];
                // Increasing with i, millisecond precision as Herald records it.
                var created = now - span + TimeSpan.FromMilliseconds(Math.Floor(span.TotalMilliseconds * i / count));
                var roll = random.Next(100);
                var status = roll < 85 ? "succeeded" : roll < 95 ? "failed" : "skipped";
                var metadata = $$"""{"webhook_id":"{{configId}}","webhook_name":"Orders to ERP","organization_id":"{{orgId}}","creation_timestamp":"{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}","correlation_id":"{{Guid.NewGuid()}}"}""";
                var body = $$"""{"metadata":{{metadata}},"entity":{"_id":"{{Guid.NewGuid()}}","_schema":"order","order_number":"OR-{{i}}","status":"placed","amount_total":{{random.Next(1000, 5_000_000)}},"currency":"EUR","line_items":[{"description":"Photovoltaic system 9.8 kWp","quantity":1,"unit_amount":1549900}]},"relations":[{"_id":"{{Guid.NewGuid()}}","_schema":"contact","_title":"Jana Weber"}]}""";
                var response = status == "failed" ? """{"status_code":503,"body":{"error":"unavailable"}}""" : status == "skipped" ? """{"message":"filter: the value at 'entity.status' is not one of the supported values"}""" : """{"status_code":200,"body":{"ok":true}}""";
                object?[] values = [Guid.CreateVersion7(created).ToString(), orgId, configId, created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                    status, metadata, body, status == "skipped" ? null : body, response];
                for (var p = 0; p < parameters.Length; p++)
                {
                    parameters[p].Value = values[p] ?? DBNull.Value;
                }
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        return Stopwatch.GetElapsedTime(started);
    }
}
