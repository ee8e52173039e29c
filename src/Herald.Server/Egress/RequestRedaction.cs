using Herald.Server.Environments;

namespace Herald.Server.Egress;

/// <summary>
/// What the record of a sent request (<see cref="RequestRecord"/>) must not show: the headers whose values are
/// credentials, by name (the config's auth header, and any header whose value holds a secret variable's value),
/// and the secret variable values the attempt resolved (<paramref name="Mask"/>, masked in the url). The mask is the
/// attempt's own, read when the request is sent, so values that later steps of the attempt resolve count too.
/// </summary>
public sealed record RequestRedaction(IReadOnlySet<string> Headers, SecretMask? Mask)
{
    public static readonly RequestRedaction None = new(new HashSet<string>(StringComparer.OrdinalIgnoreCase), null);
}
