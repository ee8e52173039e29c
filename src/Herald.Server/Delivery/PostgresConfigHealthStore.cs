using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;

namespace Herald.Server.Delivery;

/// <summary>
/// The configs' failure streaks on PostgreSQL: one statement per batch for the successes (sent with the commit) and
/// one for the failures, whose answer is read.
/// </summary>
public sealed class PostgresConfigHealthStore(PostgresDatabase database) : IConfigHealthStore
{
    public async Task<IReadOnlyList<FailureStreak>> RecordAsync(WriteSession session, IReadOnlyList<HealthMark> marks, CancellationToken cancellationToken)
    {
        var streaks = new List<FailureStreak>();
        if (marks.Count == 0)
        {
            return streaks;
        }
        var pg = session.As<PostgresWriteSession>();
        var changes = HealthChange.Of(marks);
        var cleared = changes.Where(c => c.Cleared).ToList();
        if (cleared.Count > 0)
        {
            pg.Add("""
                DELETE FROM config_health AS h USING unnest($1::text[], $2::text[]) AS c(org_id, config_id)
                WHERE h.org_id = c.org_id AND h.config_id = c.config_id
                """, [cleared.Select(c => c.OrgId.Value).ToArray(), cleared.Select(c => c.ConfigId.Value).ToArray()]);
        }
        var failed = changes.Where(c => c.Failures > 0).ToList();
        if (failed.Count == 0)
        {
            return streaks;
        }
        var byKey = failed.ToDictionary(c => (c.OrgId.Value, c.ConfigId.Value));
        pg.Add("""
            INSERT INTO config_health AS h (org_id, config_id, first_failure_at, failures, last_failure_at, last_failure)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::timestamptz[], $6::text[])
            ON CONFLICT (org_id, config_id) DO UPDATE SET
                failures = h.failures + excluded.failures, last_failure_at = excluded.last_failure_at, last_failure = excluded.last_failure
            RETURNING h.org_id, h.config_id, h.first_failure_at, h.failures
            """, [
                failed.Select(c => c.OrgId.Value).ToArray(), failed.Select(c => c.ConfigId.Value).ToArray(), failed.Select(c => c.FirstFailureAt).ToArray(),
                failed.Select(c => c.Failures).ToArray(), failed.Select(c => c.LastFailureAt).ToArray(), failed.Select(c => c.LastFailure).ToArray(),
            ], reader =>
            {
                var change = byKey[(reader.GetString(0), reader.GetString(1))];
                streaks.Add(new FailureStreak(change.OrgId, change.ConfigId, reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3), change.LastFailureAt, change.LastFailure));
            });
        await pg.RunAsync(cancellationToken);
        return streaks;
    }

    public async Task ClearAsync(OrganizationId orgId, ConfigId configId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM config_health WHERE org_id = $1 AND config_id = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = orgId.Value });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = configId.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
