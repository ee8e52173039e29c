namespace Herald.Server.Signing;

/// <summary>Ed25519 public keys as PEM SubjectPublicKeyInfo (RFC 8410).</summary>
public static class PublicKeyPem
{
    // SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (32 bytes) }
    private static readonly byte[] SpkiPrefix = Convert.FromHexString("302a300506032b6570032100");

    public static string Encode(ReadOnlySpan<byte> rawPublicKey)
    {
        if (rawPublicKey.Length != 32)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes", nameof(rawPublicKey));
        }
        var der = new byte[SpkiPrefix.Length + 32];
        SpkiPrefix.CopyTo(der, 0);
        rawPublicKey.CopyTo(der.AsSpan(SpkiPrefix.Length));
        return new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", der)) + "\n";
    }
}
