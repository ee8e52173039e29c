namespace Herald.Server.Delivery;

/// <summary>
/// The walk of <see cref="ClaimRoom"/> over the organizations with waiting jobs, as common table expressions that both
/// engines' claims use (inside <c>WITH RECURSIVE</c>), given each engine's spelling of the four parameters. It visits
/// organizations in the order of their ids, first from after <see cref="ClaimRoom.WalkAfter"/> towards the last, then,
/// when the walk wraps, from the first up to <see cref="ClaimRoom.WalkUntil"/>, at most <see cref="ClaimRoom.WalkSteps"/>
/// in all, and ends in <c>orgs(org_id, step)</c>. Two ways to the same order:
/// <list type="bullet">
/// <item>When at most <see cref="DueSample"/> waiting jobs are due (the common case: retries coming due one by one),
/// the waiting jobs' index by due time names every one of them, and the walk visits only their organizations. So an
/// organization whose jobs are all due later costs the claim nothing, however many there are.</item>
/// <item>Otherwise (a backlog), one step through the waiting jobs' index by organization each (a recursive skip over
/// it), due or not: each claim's cost stays bounded by its steps, and the claim it serves fills its room.</item>
/// </list>
/// When no waiting job is due, the walk does not start.
/// </summary>
internal static class OrganizationWalkSql
{
    /// <summary>Up to this many due waiting jobs, the walk visits only the organizations they belong to.</summary>
    public const int DueSample = 256;

    public static string Ctes(string after, string until, string steps, string now) => $"""
        due_sample(org_id) AS MATERIALIZED (
            SELECT d.org_id FROM delivery_jobs d WHERE d.lease_until IS NULL AND d.due_at <= {now} ORDER BY d.due_at, d.job_id LIMIT {DueSample + 1}),
        sampled(found, few) AS MATERIALIZED (
            SELECT count(*) > 0, count(*) <= {DueSample} FROM due_sample),
        lap1(org_id, step) AS (
            SELECT (SELECT o.org_id FROM delivery_jobs o WHERE o.lease_until IS NULL AND o.org_id > {after} ORDER BY o.org_id LIMIT 1), 1
            WHERE (SELECT found AND NOT few FROM sampled)
            UNION ALL
            SELECT (SELECT o.org_id FROM delivery_jobs o WHERE o.lease_until IS NULL AND o.org_id > lap1.org_id ORDER BY o.org_id LIMIT 1), lap1.step + 1
            FROM lap1 WHERE lap1.org_id IS NOT NULL AND lap1.step < {steps} AND ({after} >= {until} OR lap1.org_id < {until})),
        first(org_id, step) AS MATERIALIZED (
            SELECT org_id, step FROM lap1 WHERE org_id IS NOT NULL AND ({after} >= {until} OR org_id <= {until})),
        lap2(org_id, step) AS (
            SELECT (SELECT o.org_id FROM delivery_jobs o WHERE o.lease_until IS NULL ORDER BY o.org_id LIMIT 1), (SELECT count(*) FROM first) + 1
            WHERE (SELECT found AND NOT few FROM sampled) AND {after} >= {until} AND (SELECT count(*) FROM first) < {steps}
            UNION ALL
            SELECT (SELECT o.org_id FROM delivery_jobs o WHERE o.lease_until IS NULL AND o.org_id > lap2.org_id ORDER BY o.org_id LIMIT 1), lap2.step + 1
            FROM lap2 WHERE lap2.org_id IS NOT NULL AND lap2.org_id < {until} AND lap2.step < {steps}),
        due_orgs(org_id, step) AS MATERIALIZED (
            SELECT org_id, row_number() OVER (ORDER BY CASE WHEN org_id > {after} THEN 0 ELSE 1 END, org_id)
            FROM (SELECT DISTINCT org_id FROM due_sample) AS s
            WHERE (SELECT few FROM sampled)
              AND CASE WHEN {after} >= {until} THEN org_id > {after} OR org_id <= {until} ELSE org_id > {after} AND org_id <= {until} END),
        orgs(org_id, step) AS MATERIALIZED (
            SELECT org_id, step FROM first
            UNION ALL
            SELECT org_id, step FROM lap2 WHERE org_id IS NOT NULL AND org_id <= {until}
            UNION ALL
            SELECT org_id, step FROM due_orgs WHERE step <= {steps})
        """;
}
