using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>The <c>Signing</c> section.</summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    /// <summary>The shortest overlap: receivers need time to take up a new secret or key.</summary>
    public static readonly TimeSpan MinRotationOverlap = TimeSpan.FromMinutes(1);

    /// <summary>The longest overlap: a replaced secret or key should not stay in use for long.</summary>
    public static readonly TimeSpan MaxRotationOverlap = TimeSpan.FromDays(30);

    /// <summary>The <c>issuer</c> that <c>getPublicKey</c> reports.</summary>
    public string Issuer { get; set; } = "herald";

    /// <summary>
    /// How long a replaced signing secret (<c>v1</c>) or organization key (<c>v1a</c>) still signs beside the new one
    /// after a rotation, so receivers can switch over without refusing a delivery.
    /// </summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    public SigningOptions Validated() =>
        RotationOverlap < MinRotationOverlap || RotationOverlap > MaxRotationOverlap
            ? throw new InvalidSettingException(
                $"{Section}:RotationOverlap must be from {MinRotationOverlap:c} to {MaxRotationOverlap.TotalDays:0} days (got {RotationOverlap:c})")
            : this;
}
