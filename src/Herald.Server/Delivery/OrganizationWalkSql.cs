namespace Herald.Server.Delivery;

/// <summary>
/// The walk of <see cref="ClaimRoom"/> over the organizations with waiting jobs, as common table expressions that both
/// engines' claims use (inside <c>WITH RECURSIVE</c>), given each engine's spelling of the four parameters. One step
/// through the waiting jobs' index by organization each (a recursive skip over it): first from
/// <see cref="ClaimRoom.WalkAfter"/> towards the last, then, when the walk wraps, from the first up to
/// <see cref="ClaimRoom.WalkUntil"/>, at most <see cref="ClaimRoom.WalkSteps"/> in all. When no waiting job is due, one
/// entry of the waiting jobs' index by due time says so, and the walk does not start. It ends in <c>orgs(org_id, step)</c>.
/// </summary>
internal static class OrganizationWalkSql
{
    public static string Ctes(string after, string until, string steps, string now) => $"""
        anything_due(found) AS MATERIALIZED (
            SELECT EXISTS (SELECT 1 FROM delivery_jobs d WHERE d.lease_until IS NULL AND d.due_at <= {now})),
        lap1(org_id, step) AS (
            SELECT (SELECT o.org_id FROM delivery_jobs o WHERE o.lease_until IS NULL AND o.org_id > {after} ORDER BY o.org_id LIMIT 1), 1
            WHERE (SELECT found FROM anything_due)
            UNION ALL
            SELECT (SELECT o.org_id FROM delivery_jobs o WHERE o.lease_until IS NULL AND o.org_id > lap1.org_id ORDER BY o.org_id LIMIT 1), lap1.step + 1
            FROM lap1 WHERE lap1.org_id IS NOT NULL AND lap1.step < {steps} AND ({after} >= {until} OR lap1.org_id < {until})),
        first(org_id, step) AS MATERIALIZED (
            SELECT org_id, step FROM lap1 WHERE org_id IS NOT NULL AND ({after} >= {until} OR org_id <= {until})),
        lap2(org_id, step) AS (
            SELECT (SELECT o.org_id FROM delivery_jobs o WHERE o.lease_until IS NULL ORDER BY o.org_id LIMIT 1), (SELECT count(*) FROM first) + 1
            WHERE (SELECT found FROM anything_due) AND {after} >= {until} AND (SELECT count(*) FROM first) < {steps}
            UNION ALL
            SELECT (SELECT o.org_id FROM delivery_jobs o WHERE o.lease_until IS NULL AND o.org_id > lap2.org_id ORDER BY o.org_id LIMIT 1), lap2.step + 1
            FROM lap2 WHERE lap2.org_id IS NOT NULL AND lap2.org_id < {until} AND lap2.step < {steps}),
        orgs(org_id, step) AS MATERIALIZED (
            SELECT org_id, step FROM first
            UNION ALL
            SELECT org_id, step FROM lap2 WHERE org_id IS NOT NULL AND org_id <= {until})
        """;
}
