using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Server.Secrets;

/// <summary>
/// Seals secrets at rest with AES-256-GCM under the master key (<c>Secrets:MasterKey</c>), and opens what it or an
/// earlier master key (<c>Secrets:PreviousMasterKeys</c>) sealed. A sealed value is
/// <c>2 | key id(4) | nonce(12) | tag(16) | ciphertext</c>, where the key id is the first four bytes of the SHA-256 of
/// the key that sealed it; values of the first format, <c>1 | nonce(12) | tag(16) | ciphertext</c>, carry no key id
/// and are tried with each key. The associated data names the owner (for example <c>config:{org}:{id}</c>), so a
/// sealed value copied onto another row fails to open instead of leaking into the wrong organization.
/// </summary>
public sealed class SecretBox
{
    private const byte FirstFormat = 1;
    internal const byte KeyIdFormat = 2;
    private const int KeyIdSize = 4;

    /// <summary>The bytes that name the key a value of the key-id format was sealed with: its format and the key id.</summary>
    internal const int KeyPrefixSize = 1 + KeyIdSize;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int FirstHeaderSize = 1 + NonceSize + TagSize;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize + TagSize;

    /// <summary>The current key first, then the previous ones in the order they were given.</summary>
    private readonly (byte[] Key, uint Id)[] _keys;

    public SecretBox(byte[] key, IReadOnlyList<byte[]>? previousKeys = null)
    {
        _keys = new[] { key }.Concat(previousKeys ?? []).Select(k => k.Length == 32
                ? (k, IdOf(k))
                : throw new ArgumentException("A master key must be 32 bytes", nameof(key)))
            .ToArray();
    }

    /// <summary>Whether earlier master keys were given, so that values they sealed may be waiting to be sealed again.</summary>
    public bool HasPreviousKeys => _keys.Length > 1;

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string owner)
    {
        var (key, id) = _keys[0];
        var sealedValue = new byte[HeaderSize + plaintext.Length];
        sealedValue[0] = KeyIdFormat;
        BinaryPrimitives.WriteUInt32BigEndian(sealedValue.AsSpan(1, KeyIdSize), id);
        var nonce = sealedValue.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(HeaderSize), sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize), Encoding.UTF8.GetBytes(owner));
        return sealedValue;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedValue, string owner)
    {
        var layout = Layout(sealedValue);
        var ownerBytes = Encoding.UTF8.GetBytes(owner);
        var plaintext = new byte[sealedValue.Length - layout.HeaderSize];
        var tried = false;
        foreach (var (key, id) in _keys)
        {
            if (layout.KeyId is { } wanted && wanted != id)
            {
                continue;
            }
            tried = true;
            try
            {
                using var aes = new AesGcm(key, TagSize);
                aes.Decrypt(sealedValue.Slice(layout.NonceAt, NonceSize), sealedValue[layout.HeaderSize..],
                    sealedValue.Slice(layout.NonceAt + NonceSize, TagSize), plaintext, ownerBytes);
                return plaintext;
            }
            catch (AuthenticationTagMismatchException)
            {
                // Another key may have sealed it (a first-format value, or a key id shared by two keys).
            }
        }
        throw new CryptographicException(tried
            ? $"A sealed value of {owner} does not open with Secrets:MasterKey or any of Secrets:PreviousMasterKeys: it was sealed with another key, or damaged"
            : $"A sealed value of {owner} was sealed with a master key Herald was not given: list that key in Secrets:PreviousMasterKeys");
    }

    /// <summary>Whether a value was sealed with another key than the current one, or in the first format: it is then sealed again by <see cref="Resealing"/>.</summary>
    public bool NeedsResealing(ReadOnlySpan<byte> sealedValue) => Layout(sealedValue).KeyId != _keys[0].Id;

    /// <summary>The same secret sealed with the current key.</summary>
    public byte[] Reseal(ReadOnlySpan<byte> sealedValue, string owner) => Seal(Open(sealedValue, owner), owner);

    private static (uint? KeyId, int NonceAt, int HeaderSize) Layout(ReadOnlySpan<byte> sealedValue) => sealedValue switch
    {
        [KeyIdFormat, ..] when sealedValue.Length >= HeaderSize =>
            (BinaryPrimitives.ReadUInt32BigEndian(sealedValue.Slice(1, KeyIdSize)), 1 + KeyIdSize, HeaderSize),
        [FirstFormat, ..] when sealedValue.Length >= FirstHeaderSize => (null, 1, FirstHeaderSize),
        _ => throw new CryptographicException("Sealed value has an unknown format"),
    };

    private static uint IdOf(byte[] key) => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(key));
}
