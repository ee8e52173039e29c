using Herald.Server.Http;

namespace Herald.Server.Recovery;

/// <summary>The <c>Recovery</c> section: how wide a recovery's window may be and how it queues its replays.</summary>
public sealed class RecoveryOptions
{
    public const string Section = "Recovery";

    /// <summary>The widest window one recovery covers, <c>since</c> to <c>until</c>.</summary>
    public TimeSpan MaxWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Replays queued per transaction, and the most of one recovery's replays in the queue at a time: the next page is
    /// read and queued once the last replay of the one before it is done.
    /// </summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Recoveries one organization may have running at once; another is a 429.</summary>
    public int MaxRunningPerOrganization { get; set; } = 10;

    public RecoveryOptions Validated() =>
        MaxWindow <= TimeSpan.Zero ? throw new InvalidSettingException($"{Section}:MaxWindow must be positive (got {MaxWindow:c})")
        : PageSize is < 1 or > 1000 ? throw new InvalidSettingException($"{Section}:PageSize must be from 1 to 1000 (got {PageSize})")
        : MaxRunningPerOrganization < 1 ? throw new InvalidSettingException($"{Section}:MaxRunningPerOrganization must be at least 1 (got {MaxRunningPerOrganization})")
        : this;
}
