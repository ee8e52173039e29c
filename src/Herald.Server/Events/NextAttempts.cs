using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>Fills <see cref="WebhookEvent.NextAttemptAt"/> of the events still in progress, with one read for all of them.</summary>
public static class NextAttempts
{
    public static async Task FillAsync(INextAttempts retries, OrganizationId orgId, IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        var pending = events.Where(e => e.Status == EventStatus.InProgress.ToContract()).ToList();
        if (pending.Count == 0)
        {
            return;
        }
        var due = await retries.DueAsync(orgId, pending.Select(e => e.EventId).ToList(), cancellationToken);
        foreach (var e in pending)
        {
            e.NextAttemptAt = due.TryGetValue(e.EventId, out var at) ? HeraldJson.Timestamp(at) : null;
        }
    }
}
