using System.Net;
using System.Net.Sockets;

namespace Herald.Server.Egress;

/// <summary>
/// Which addresses a delivery or token request may connect to (wire-format section 8). Loopback, RFC 1918,
/// link-local (cloud metadata included), CGNAT, multicast, unspecified, broadcast, reserved and IPv6
/// unique-local/link-local ranges are blocked unless an operator-listed network contains the address or private
/// networks are allowed outright. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry, and so are
/// the NAT64 (<c>64:ff9b::/96</c>), 6to4 (<c>2002::/16</c>) and Teredo (<c>2001::/32</c>) addresses that reach an IPv4
/// address through a gateway or relay (<see cref="EmbeddedIPv4"/>): blocked when any address they carry is blocked.
/// The obsolete IPv4-compatible (<c>::/96</c>) and IPv4-translated (<c>::ffff:0:0:0/96</c>) forms and the local-use
/// NAT64 prefix (<c>64:ff9b:1::/48</c>, whose layout is the network's own) are blocked outright.
/// </summary>
public sealed class DestinationGuard
{
    private static readonly IPNetwork[] Blocked =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/96"), // IPv4-compatible (deprecated by RFC 4291), with :: and ::1 in it
        IPNetwork.Parse("::ffff:0:0:0/96"), // IPv4-translated (RFC 2765), meaningful only inside a translator
        IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private readonly bool _allowPrivate;
    private readonly IPNetwork[] _allowed;

    public DestinationGuard(bool allowPrivateNetworks, IEnumerable<string> allowedNetworks)
    {
        _allowPrivate = allowPrivateNetworks;
        _allowed = allowedNetworks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(ParseNetwork).ToArray();
    }

    /// <summary>A CIDR block, or a single address (a block of one).</summary>
    public static IPNetwork ParseNetwork(string value)
    {
        value = value.Trim();
        if (value.Contains('/'))
        {
            return IPNetwork.Parse(value);
        }
        var address = IPAddress.Parse(value);
        return new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (_allowPrivate || _allowed.Any(n => n.Contains(address)))
        {
            return true;
        }
        var carried = EmbeddedIPv4.Of(address);
        if (carried.Length > 0)
        {
            return carried.All(IsAllowed);
        }
        return !Blocked.Any(n => n.Contains(address));
    }
}

/// <summary>A destination refused by the guard; the attempt fails with <c>DESTINATION_BLOCKED</c>, not retried.</summary>
public sealed class DestinationBlockedException(string host, IReadOnlyList<IPAddress> addresses)
    : Exception($"Destination {host} resolves only to blocked addresses ({string.Join(", ", addresses)}); to allow them, "
        + "list their network in Delivery:AllowedNetworks (or, for local development only, set Delivery:AllowPrivateNetworks to true)")
{
    public string Host { get; } = host;
}
