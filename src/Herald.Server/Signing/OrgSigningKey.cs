namespace Herald.Server.Signing;

/// <summary>
/// One organization's Ed25519 key pair as stored: the 32-byte public key in the clear, the 32-byte private seed
/// sealed with the master key.
/// </summary>
public sealed record OrgSigningKey(
    string OrgId,
    string KeyId,
    DateTimeOffset CreatedAt,
    byte[] PublicKey,
    byte[] SealedPrivateKey,
    DateTimeOffset? RetiredAt);
