using System.Security.Cryptography;
using System.Text;

namespace Herald.Server.Secrets;

/// <summary>
/// Seals secrets at rest with AES-256-GCM. A sealed value is <c>version(1) | nonce(12) | tag(16) | ciphertext</c>.
/// The associated data names the owner (for example <c>config:{org}:{id}</c>), so a sealed value copied onto
/// another row fails to open instead of leaking into the wrong organization.
/// </summary>
public sealed class SecretBox
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The master key must be 32 bytes", nameof(key));
        }
        _key = key;
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string owner)
    {
        var sealedValue = new byte[HeaderSize + plaintext.Length];
        sealedValue[0] = FormatVersion;
        var nonce = sealedValue.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(HeaderSize), sealedValue.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(owner));
        return sealedValue;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedValue, string owner)
    {
        if (sealedValue.Length < HeaderSize || sealedValue[0] != FormatVersion)
        {
            throw new CryptographicException("Sealed value has an unknown format");
        }
        var plaintext = new byte[sealedValue.Length - HeaderSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedValue.Slice(1, NonceSize), sealedValue[HeaderSize..], sealedValue.Slice(1 + NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(owner));
        return plaintext;
    }
}
