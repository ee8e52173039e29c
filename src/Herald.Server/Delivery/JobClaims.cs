using Herald.Server.Events;
using Herald.Server.Storage;

namespace Herald.Server.Delivery;

/// <summary>
/// A worker's claim of due jobs, in one transaction with ending the events of the jobs it gives up
/// (<see cref="LeaseExpiries"/>): the queue removes those jobs, the event log records their failure.
/// </summary>
public sealed class JobClaims(IDeliveryStore store, IEventWriter events, IWriteSessions sessions, DeliveryOptions options)
{
    /// <summary>Up to <paramref name="max"/> jobs, the oldest due first (<see cref="ClaimRoom.OldestFirst"/>).</summary>
    public async Task<IReadOnlyList<DeliveryJob>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
        (await ClaimDueAsync(owner, now, leaseUntil, ClaimRoom.OldestFirst(max), cancellationToken)).Leased;

    public Task<ClaimedJobs> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimRoom room, CancellationToken cancellationToken) =>
        sessions.WriteAsync(async session =>
        {
            var claimed = await store.ClaimDueAsync(session, owner, now, leaseUntil, room, cancellationToken);
            if (claimed.GivenUp.Count > 0)
            {
                await events.UpdateAsync(session, claimed.GivenUp.Select(job => LeaseExpiries.Failed(job, now, options.MaxLeaseExpiries)).ToList(), cancellationToken);
            }
            return claimed;
        }, cancellationToken);
}
