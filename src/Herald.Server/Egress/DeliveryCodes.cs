namespace Herald.Server.Egress;

/// <summary>The machine-readable <c>code</c> values of an attempt's outcome.</summary>
public static class DeliveryCodes
{
    public const string InternalError = "INTERNAL_ERROR";
    public const string ResponseTooLarge = "INTERNAL_RESPONSE_TOO_LARGE";
    public const string DestinationBlocked = "DESTINATION_BLOCKED";
    public const string Timeout = "TIMEOUT";
    public const string ConnectionError = "CONNECTION_ERROR";
    public const string OAuthTokenExchangeError = "OAuthTokenExchangeError";
    public const string EnvVariableNotFound = "ENV_VARIABLE_NOT_FOUND";
    public const string StaticIpUnavailable = "STATIC_IP_UNAVAILABLE";

    /// <summary>An Event Catalog event cannot be brought to the version its config is pinned to.</summary>
    public const string EventVersionUnreachable = "EVENT_VERSION_UNREACHABLE";

    /// <summary>A <c>_downgrades</c> step of an Event Catalog event threw or produced no object.</summary>
    public const string EventDowngradeFailed = "EVENT_DOWNGRADE_FAILED";
}
