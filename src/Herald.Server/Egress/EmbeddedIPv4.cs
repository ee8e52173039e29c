using System.Net;
using System.Net.Sockets;

namespace Herald.Server.Egress;

/// <summary>
/// The IPv4 addresses that an IPv6 address of a translation or tunnelling scheme carries. A packet to such an address
/// ends up at the IPv4 address (through a NAT64 gateway, a 6to4 or Teredo relay), so the destination guard judges
/// these like any IPv4 address instead of letting the IPv6 form through.
/// </summary>
public static class EmbeddedIPv4
{
    /// <summary>The well-known NAT64 prefix (RFC 6052): the IPv4 address is the last 32 bits.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>6to4 (RFC 3056): <c>2002:AABB:CCDD::/48</c> carries <c>AA.BB.CC.DD</c> in bits 16 to 47.</summary>
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Teredo (RFC 4380): the server's IPv4 address in bits 32 to 63, the client's inverted in the last 32.</summary>
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");

    /// <summary>The IPv4 addresses <paramref name="address"/> carries; empty for any other address.</summary>
    public static IPAddress[] Of(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return [];
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (Nat64.Contains(address))
        {
            return [new IPAddress(bytes[12..])];
        }
        if (SixToFour.Contains(address))
        {
            return [new IPAddress(bytes[2..6])];
        }
        if (Teredo.Contains(address))
        {
            Span<byte> client = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
            {
                client[i] = (byte)~bytes[12 + i];
            }
            return [new IPAddress(bytes[4..8]), new IPAddress(client)];
        }
        return [];
    }
}
