using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Recovery;

/// <summary>
/// One running recovery as stored: which config and window, how many failed events it found when asked
/// (<see cref="Total"/>), and how far it has got: <see cref="Paged"/> events read and queued so far, the last of them
/// <see cref="After"/>. The row goes when the recovery is done.
/// </summary>
public sealed record EventRecovery
{
    public required string RecoveryId { get; init; }
    public required OrganizationId OrgId { get; init; }
    public required ConfigId ConfigId { get; init; }
    public required string WindowKey { get; init; }
    public required DateTimeOffset Since { get; init; }
    public required DateTimeOffset Until { get; init; }
    public required int Total { get; init; }
    public int Paged { get; init; }
    public EventCursor? After { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
