namespace Herald.Server.Events;

/// <summary>The wire text of each <see cref="DeliveryCode"/>: what the API shows and what the stores keep.</summary>
public static class DeliveryCodes
{
    public static string ToWire(this DeliveryCode code) => code switch
    {
        DeliveryCode.InternalError => "INTERNAL_ERROR",
        DeliveryCode.ResponseTooLarge => "INTERNAL_RESPONSE_TOO_LARGE",
        DeliveryCode.DestinationBlocked => "DESTINATION_BLOCKED",
        DeliveryCode.Timeout => "TIMEOUT",
        DeliveryCode.ConnectionError => "CONNECTION_ERROR",
        DeliveryCode.OAuthTokenExchangeError => "OAuthTokenExchangeError",
        DeliveryCode.EnvVariableNotFound => "ENV_VARIABLE_NOT_FOUND",
        DeliveryCode.StaticIpUnavailable => "STATIC_IP_UNAVAILABLE",
        DeliveryCode.EventVersionUnreachable => "EVENT_VERSION_UNREACHABLE",
        DeliveryCode.EventDowngradeFailed => "EVENT_DOWNGRADE_FAILED",
        DeliveryCode.FileSourceNotConfigured => "FILE_SOURCE_NOT_CONFIGURED",
        DeliveryCode.FileNotFound => "FILE_NOT_FOUND",
        DeliveryCode.FileTooLarge => "FILE_TOO_LARGE",
        DeliveryCode.FileRefused => "FILE_REFUSED",
        DeliveryCode.FileNotAllowed => "FILE_NOT_ALLOWED",
        DeliveryCode.TooManyFiles => "TOO_MANY_FILES",
        DeliveryCode.FileUnavailable => "FILE_UNAVAILABLE",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not a delivery code"),
    };

    /// <summary>
    /// The code a stored text names, or null for null and for a text this version does not know (a row written by a
    /// newer version, say): the attempt then reads back without a code rather than failing the whole history.
    /// </summary>
    public static DeliveryCode? FromWire(string? text)
    {
        if (text is null)
        {
            return null;
        }
        foreach (var code in Enum.GetValues<DeliveryCode>())
        {
            if (string.Equals(code.ToWire(), text, StringComparison.Ordinal))
            {
                return code;
            }
        }
        return null;
    }
}
