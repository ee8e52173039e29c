using Herald.Server.Http;
using Herald.Server.Storage;

namespace Herald.Server.Delivery;

/// <summary>What one recorded attempt says of its config's health: it succeeded, or it failed and how.</summary>
public sealed record HealthMark(OrganizationId OrgId, ConfigId ConfigId, bool Succeeded, DateTimeOffset At, string? Failure);

/// <summary>A config's failed attempts since its last success: when the first failed, how many, and the last one.</summary>
public sealed record FailureStreak(OrganizationId OrgId, ConfigId ConfigId, DateTimeOffset FirstFailureAt, int Failures, DateTimeOffset LastFailureAt, string? LastFailure);

/// <summary>
/// <c>config_health</c>: one row per config whose last recorded attempt failed, kept by the outcomes' group commit, so
/// a config's health costs one keyed write per outcome and no scan of its attempts. A success deletes the row.
/// </summary>
public interface IConfigHealthStore
{
    /// <summary>
    /// Applies the marks within the session, in order per config: a success clears the config's streak, a failure
    /// extends it (or starts one). Answers the streak after the marks of every config that has one.
    /// </summary>
    Task<IReadOnlyList<FailureStreak>> RecordAsync(WriteSession session, IReadOnlyList<HealthMark> marks, CancellationToken cancellationToken);

    /// <summary>Forgets the config's streak (it was disabled: a later enable starts afresh).</summary>
    Task ClearAsync(OrganizationId orgId, ConfigId configId, CancellationToken cancellationToken);
}

/// <summary>The net effect of one batch's marks on one config: whether a success came, and the failures after the last one.</summary>
internal sealed record HealthChange(OrganizationId OrgId, ConfigId ConfigId, bool Cleared, int Failures, DateTimeOffset FirstFailureAt, DateTimeOffset LastFailureAt, string? LastFailure)
{
    public static List<HealthChange> Of(IReadOnlyList<HealthMark> marks) =>
        marks.GroupBy(m => (m.OrgId, m.ConfigId)).Select(group =>
        {
            var ordered = group.OrderBy(m => m.At).ToList();
            var lastSuccess = ordered.FindLastIndex(m => m.Succeeded);
            var failures = ordered.Skip(lastSuccess + 1).ToList();
            return new HealthChange(group.Key.OrgId, group.Key.ConfigId, lastSuccess >= 0, failures.Count,
                failures.Count > 0 ? failures[0].At : default, failures.Count > 0 ? failures[^1].At : default, failures.Count > 0 ? failures[^1].Failure : null);
        }).ToList();
}
