namespace Herald.Server.Events;

/// <summary>The machine-readable <c>code</c> of an attempt's outcome; <see cref="DeliveryCodes"/> maps each to its wire text.</summary>
public enum DeliveryCode
{
    InternalError,
    ResponseTooLarge,
    DestinationBlocked,
    Timeout,
    ConnectionError,
    OAuthTokenExchangeError,
    EnvVariableNotFound,
    StaticIpUnavailable,

    /// <summary>An Event Catalog event cannot be brought to the version its config is pinned to.</summary>
    EventVersionUnreachable,

    /// <summary>A <c>_downgrades</c> step of an Event Catalog event threw or produced no object.</summary>
    EventDowngradeFailed,
}
