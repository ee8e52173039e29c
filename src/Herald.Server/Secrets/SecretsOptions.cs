namespace Herald.Server.Secrets;

/// <summary>The <c>Secrets</c> section.</summary>
public sealed class SecretsOptions
{
    public const string Section = "Secrets";

    /// <summary>
    /// Base64 of 32 random bytes: the AES-256-GCM key that seals every secret at rest. When empty, Herald generates
    /// one into <c>{Storage:DataDirectory}/master.key</c> and warns; production sets it from a secret store.
    /// </summary>
    public string? MasterKey { get; set; }
}
