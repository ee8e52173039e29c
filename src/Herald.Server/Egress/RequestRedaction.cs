using Herald.Server.Environments;

namespace Herald.Server.Egress;

/// <summary>
/// What the record of a sent request (<see cref="RequestRecord"/>) must not show: the headers whose values are
/// credentials by name (the config's auth header), and the secret variable values the attempt resolved
/// (<paramref name="Mask"/>): a header that holds one is redacted whole, the url shows <c>***</c> in its place. The
/// mask is the attempt's own, read when the request is sent, so values that later steps of the attempt resolve count too.
/// </summary>
public sealed record RequestRedaction(IReadOnlySet<string> Headers, SecretMask? Mask)
{
    public static readonly RequestRedaction None = new(new HashSet<string>(StringComparer.OrdinalIgnoreCase), null);
}
