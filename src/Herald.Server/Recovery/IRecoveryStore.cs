using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Storage;

namespace Herald.Server.Recovery;

/// <summary>The running recoveries (<c>event_recoveries</c>); the only code that writes that table.</summary>
public interface IRecoveryStore
{
    /// <summary>The running recovery of the config for the window <paramref name="windowKey"/>, if any.</summary>
    Task<EventRecovery?> FindAsync(OrganizationId orgId, ConfigId configId, string windowKey, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the recovery unless one of the same config and window runs (that one is answered) or its organization
    /// already runs <paramref name="maxPerOrganization"/> (null then). Counted and inserted in one statement.
    /// </summary>
    Task<EventRecovery?> StartAsync(EventRecovery recovery, int maxPerOrganization, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> running recoveries, oldest first.</summary>
    Task<IReadOnlyList<EventRecovery>> ListAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// Within the session (the transaction that queues the page's replays): moves the recovery on to
    /// <paramref name="paged"/> events, the last <paramref name="after"/>, if it still stands at
    /// <paramref name="pagedBefore"/>. False when another node moved it first, or it is gone: then nothing may be queued.
    /// </summary>
    Task<bool> AdvanceAsync(WriteSession session, string recoveryId, int pagedBefore, int paged, EventCursor after, CancellationToken cancellationToken);

    /// <summary>Removes the recovery: it is done.</summary>
    Task FinishAsync(string recoveryId, CancellationToken cancellationToken);
}
