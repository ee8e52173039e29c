using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Events;

namespace Herald.Server.ReceiverAuth;

/// <summary>One header Herald builds for a config, with the config field it comes from (named in messages, never the value).</summary>
public readonly record struct BuiltHeader(string Name, string Value, string Field);

/// <summary>
/// The last check of the headers built for one attempt (custom headers and auth), whatever brought their values:
/// every value visible ASCII, space and tab (<see cref="CustomHeaders.IsSafeValue"/>), and names and values together
/// within <see cref="EgressOptions.MaxRequestHeaderBytes"/>. Either failure is the config's to fix, so it is not
/// retried, and nothing is sent.
/// </summary>
public static class RequestHeaders
{
    public const string Setting = "Delivery:MaxRequestHeaderBytes";

    public static string TooLarge(string field, int maxBytes) =>
        $"{field} takes the request headers past {maxBytes} bytes of names and values ({Setting}); the request was not sent";

    public static Prepared.Fail? Check(IEnumerable<BuiltHeader> headers, int maxBytes)
    {
        var total = 0L;
        foreach (var header in headers)
        {
            if (!CustomHeaders.IsSafeValue(header.Value))
            {
                return Fail($"Header '{header.Name}' ({header.Field}) {CustomHeaders.ValueRule}; the request was not sent");
            }
            // Safe values are ASCII (as names are), so characters are bytes.
            total += header.Name.Length + header.Value.Length;
            if (total > maxBytes)
            {
                return Fail(TooLarge(header.Field, maxBytes));
            }
        }
        return null;
    }

    private static Prepared.Fail Fail(string message) => new(DeliveryCode.InternalError, message, Retryable: false);
}
