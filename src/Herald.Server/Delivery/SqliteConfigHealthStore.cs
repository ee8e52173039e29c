using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Delivery;

/// <summary>The configs' failure streaks on SQLite, written on the outcomes' write lane turn.</summary>
public sealed class SqliteConfigHealthStore(SqliteWriteLane lane) : IConfigHealthStore
{
    private const string Clear = "DELETE FROM config_health WHERE org_id = $org AND config_id = $config";

    public async Task<IReadOnlyList<FailureStreak>> RecordAsync(WriteSession session, IReadOnlyList<HealthMark> marks, CancellationToken cancellationToken)
    {
        var streaks = new List<FailureStreak>();
        if (marks.Count == 0)
        {
            return streaks;
        }
        var turn = session.As<SqliteWriteLane.Session>();
        foreach (var change in HealthChange.Of(marks))
        {
            if (change.Cleared)
            {
                await turn.Prepare(Clear, "$org", "$config").Bind(change.OrgId.Value, change.ConfigId.Value).Command.ExecuteNonQueryAsync(cancellationToken);
            }
            if (change.Failures == 0)
            {
                continue;
            }
            var extend = turn.Prepare("""
                INSERT INTO config_health (org_id, config_id, first_failure_at, failures, last_failure_at, last_failure)
                VALUES ($org, $config, $first, $failures, $last, $failure)
                ON CONFLICT (org_id, config_id) DO UPDATE SET
                    failures = failures + excluded.failures, last_failure_at = excluded.last_failure_at, last_failure = excluded.last_failure
                RETURNING first_failure_at, failures
                """, "$org", "$config", "$first", "$failures", "$last", "$failure");
            extend.Bind(change.OrgId.Value, change.ConfigId.Value, SqliteTime.ToText(change.FirstFailureAt), change.Failures, SqliteTime.ToText(change.LastFailureAt), change.LastFailure);
            await using var reader = await extend.Command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                streaks.Add(new FailureStreak(change.OrgId, change.ConfigId, SqliteTime.Parse(reader.GetString(0)), reader.GetInt32(1), change.LastFailureAt, change.LastFailure));
            }
        }
        return streaks;
    }

    public Task ClearAsync(OrganizationId orgId, ConfigId configId, CancellationToken cancellationToken) =>
        lane.RunAsync(session => session.Prepare(Clear, "$org", "$config").Bind(orgId.Value, configId.Value).Command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);
}
