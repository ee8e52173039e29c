using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>
/// One organization's Ed25519 key pair as stored: the 32-byte public key in the clear, the 32-byte private seed
/// sealed with the master key.
/// </summary>
public sealed record OrgSigningKey
{
    public required OrganizationId OrgId { get; init; }

    public required string KeyId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required byte[] PublicKey { get; init; }

    public required byte[] SealedPrivateKey { get; init; }

    public DateTimeOffset? RetiredAt { get; init; }
}
