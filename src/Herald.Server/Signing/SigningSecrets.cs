using Herald.Server.Configs;

namespace Herald.Server.Signing;

/// <summary>Which of a config's signing secrets sign at a given time. Pure.</summary>
public static class SigningSecrets
{
    /// <summary>
    /// The current secret, then the one a rotation replaced while its overlap lasts (until
    /// <see cref="ConfigSecrets.PreviousSigningSecretUntil"/>, exclusive); empty for a config without a secret.
    /// </summary>
    public static IReadOnlyList<string> At(ConfigSecrets secrets, DateTimeOffset now)
    {
        var current = string.IsNullOrEmpty(secrets.SigningSecret) ? null : secrets.SigningSecret;
        var previous = IsPreviousInUse(secrets, now) ? secrets.PreviousSigningSecret : null;
        return (current, previous) switch
        {
            (null, null) => [],
            (not null, null) => [current],
            (null, not null) => [previous],
            _ => [current, previous],
        };
    }

    /// <summary>Whether the replaced secret still signs at <paramref name="now"/>.</summary>
    public static bool IsPreviousInUse(ConfigSecrets secrets, DateTimeOffset now) =>
        !string.IsNullOrEmpty(secrets.PreviousSigningSecret) && secrets.PreviousSigningSecretUntil is { } until && now < until;
}
