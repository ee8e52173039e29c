namespace Herald.Server.Http;

/// <summary>
/// The <c>Requests</c> section: how many bytes of request bodies a node reads and holds at once. Each request with a
/// body takes its length (or, without a <c>Content-Length</c>, its buffer as it grows) while its handler runs, and its
/// parsed form takes several times that again, so the sum is what bounds the memory many large requests at once could
/// take (<see cref="BodyAllowance"/>).
/// </summary>
public sealed class RequestOptions
{
    public const string Section = "Requests";
    public const string PerNodeSetting = Section + ":" + nameof(MaxBodyBytesInFlight);
    public const string PerOrganizationSetting = Section + ":" + nameof(MaxBodyBytesInFlightPerOrganization);

    /// <summary>The node's bound, for all callers together.</summary>
    public long MaxBodyBytesInFlight { get; set; } = 64L * 1024 * 1024;

    /// <summary>One organization's share; unset, half of <see cref="MaxBodyBytesInFlight"/>. Callers without an organization share one.</summary>
    public long? MaxBodyBytesInFlightPerOrganization { get; set; }

    public long PerOrganization => MaxBodyBytesInFlightPerOrganization ?? MaxBodyBytesInFlight / 2;

    /// <summary>
    /// These settings, or the error of one Herald cannot start with: the largest body one request may send must fit in
    /// one organization's share, or it could never be read, and the share cannot pass the node's bound.
    /// </summary>
    public RequestOptions Validated() =>
        PerOrganization < JsonBody.LargestMaxBytes
            ? throw new InvalidSettingException(
                $"{PerOrganizationSetting} ({PerOrganization}) must be at least {JsonBody.LargestMaxBytes} bytes, the largest body "
                + $"one request may send (a trigger's); unset, it is half of {PerNodeSetting}")
        : PerOrganization > MaxBodyBytesInFlight
            ? throw new InvalidSettingException($"{PerOrganizationSetting} ({PerOrganization}) must be at most {PerNodeSetting} ({MaxBodyBytesInFlight})")
        : this;
}
