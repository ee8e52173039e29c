using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Herald.Server.Http;

/// <summary>
/// RFC 9562 UUIDs from the cryptographic generator (<see cref="RandomNumberGenerator"/>), as <see cref="Guid.NewGuid"/>
/// and <see cref="Guid.CreateVersion7(DateTimeOffset)"/> make them. On Linux those two read the kernel's generator with a
/// system call per id; this one draws from the process's own cryptographic generator, which costs no system call,
/// and that matters on the trigger path, which makes two per event.
/// </summary>
public static class RandomGuid
{
    /// <summary>A version 4 (random) UUID.</summary>
    public static Guid NewVersion4()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Stamp(bytes, version: 4);
    }

    /// <summary>A version 7 UUID: the Unix time in milliseconds of <paramref name="time"/> in its first 48 bits, then random bits.</summary>
    public static Guid NewVersion7(DateTimeOffset time)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(time));
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[6..]);
        // Big-endian 48-bit timestamp: the low six bytes of the 64-bit value.
        Span<byte> stamp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(stamp, milliseconds);
        stamp[2..].CopyTo(bytes);
        return Stamp(bytes, version: 7);
    }

    /// <summary>Sets the version nibble and the RFC 9562 variant bits of a UUID given in network (big-endian) byte order.</summary>
    private static Guid Stamp(Span<byte> bytes, int version)
    {
        bytes[6] = (byte)((bytes[6] & 0x0F) | (version << 4));
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
