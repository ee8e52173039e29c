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

    /// <summary>
    /// Base64 of earlier master keys, to rotate <see cref="MasterKey"/>: values they sealed still open, and each node
    /// seals them again with the current key at its start (<see cref="Resealing"/>). Once a node logs that every value
    /// is sealed with the current key, they can be removed.
    /// </summary>
    public string[] PreviousMasterKeys { get; set; } = [];

    public const string PreviousKeysSetting = Section + ":" + nameof(PreviousMasterKeys);
}
