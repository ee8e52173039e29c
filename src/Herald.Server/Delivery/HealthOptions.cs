using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// <c>Delivery:Breaker</c>: after <see cref="Failures"/> connection-level failures in a row to one destination
/// (refused, timed out, TLS, DNS), this node sends it nothing for <see cref="CoolDown"/>, doubled on each reopen up to
/// <see cref="MaxCoolDown"/>; then one probe attempt closes or reopens the breaker.
/// </summary>
public sealed class BreakerOptions
{
    public const string Section = DeliveryOptions.Section + ":Breaker";

    public int Failures { get; set; } = 20;

    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxCoolDown { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Destinations with a breaker on a node (failures counted, open, or awaiting a probe) past which the closed ones'
    /// counts and the breakers awaiting a probe no job came for are forgotten, so that memory stays bounded.
    /// </summary>
    public int MaxTracked { get; set; } = 10_000;

    internal void Validate()
    {
        if (MaxTracked < 100)
        {
            throw new InvalidSettingException($"{Section}:MaxTracked must be at least 100 (got {MaxTracked})");
        }
        if (Failures < 1)
        {
            throw new InvalidSettingException($"{Section}:Failures must be at least 1 (got {Failures})");
        }
        if (CoolDown < TimeSpan.FromSeconds(1))
        {
            throw new InvalidSettingException($"{Section}:CoolDown must be at least 00:00:01 (got {CoolDown})");
        }
        if (MaxCoolDown < CoolDown || MaxCoolDown > TimeSpan.FromDays(1))
        {
            throw new InvalidSettingException($"{Section}:MaxCoolDown must be between {Section}:CoolDown ({CoolDown}) and 1.00:00:00 (got {MaxCoolDown})");
        }
    }
}

/// <summary>
/// <c>Delivery:AutoDisable</c>: a config whose deliveries failed without a single success for <see cref="After"/>, with
/// at least <see cref="MinFailures"/> failed attempts in that span, is disabled. <see cref="After"/> zero turns it off.
/// </summary>
public sealed class AutoDisableOptions
{
    public const string Section = DeliveryOptions.Section + ":AutoDisable";

    public TimeSpan After { get; set; } = TimeSpan.FromDays(5);

    public int MinFailures { get; set; } = 10;

    public bool Enabled => After > TimeSpan.Zero;

    internal void Validate()
    {
        if (After < TimeSpan.Zero)
        {
            throw new InvalidSettingException($"{Section}:After must be zero (off) or positive (got {After})");
        }
        if (MinFailures < 1)
        {
            throw new InvalidSettingException($"{Section}:MinFailures must be at least 1 (got {MinFailures})");
        }
    }
}
