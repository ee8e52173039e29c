namespace Herald.Server.Signing;

/// <summary>The <c>Signing</c> section.</summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    /// <summary>The <c>issuer</c> that <c>getPublicKey</c> reports.</summary>
    public string Issuer { get; set; } = "herald";
}
