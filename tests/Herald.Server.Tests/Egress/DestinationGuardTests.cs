using System.Net;
using Herald.Server.Delivery;
using Herald.Server.Egress;

namespace Herald.Server.Tests.Egress;

public sealed class DestinationGuardTests
{
    private static readonly DestinationGuard Default = new(allowPrivateNetworks: false, []);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.251")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.1.2.3")]
    public void Private_loopback_link_local_cgnat_multicast_and_unspecified_addresses_are_blocked(string address)
    {
        Assert.False(Default.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:93.184.216.34")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.True(Default.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::7f00:1")]                 // IPv4-compatible (deprecated) ::127.0.0.1
    [InlineData("::808:808")]                // IPv4-compatible is blocked outright, even around a public address
    [InlineData("::ffff:0:7f00:1")]          // IPv4-translated (RFC 2765) ::ffff:0:127.0.0.1
    [InlineData("::ffff:0:808:808")]         // IPv4-translated is blocked outright, even around a public address
    [InlineData("64:ff9b::7f00:1")]          // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe")]       // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::a00:1")]           // NAT64 of 10.0.0.1
    [InlineData("64:ff9b::c0a8:101")]        // NAT64 of 192.168.1.1
    [InlineData("64:ff9b:1::808:808")]       // local-use NAT64 (RFC 8215): its layout is the operator's, blocked outright
    [InlineData("2002:7f00:1::")]            // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe:1::5")]      // 6to4 of 169.254.169.254
    [InlineData("2002:a00:1::1")]            // 6to4 of 10.0.0.1
    [InlineData("2002:6440:1::1")]           // 6to4 of 100.64.0.1 (CGNAT)
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe")] // Teredo whose client is 127.0.0.1 (stored inverted)
    [InlineData("2001:0:a00:1:8000:63bf:f7f7:f7f7")]      // Teredo whose server is 10.0.0.1 (client 8.8.8.8)
    public void Addresses_that_carry_a_blocked_ipv4_address_are_blocked(string address)
    {
        Assert.False(Default.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("64:ff9b::808:808")]         // NAT64 of 8.8.8.8
    [InlineData("64:ff9b::5db8:d822")]       // NAT64 of 93.184.216.34
    [InlineData("2002:808:808::1")]          // 6to4 of 8.8.8.8
    [InlineData("2001:0:4136:e378:8000:63bf:f7f7:f7f7")] // Teredo: server 65.54.227.120, client 8.8.8.8 (stored inverted)
    public void Addresses_that_carry_a_public_ipv4_address_are_judged_by_it(string address)
    {
        Assert.True(Default.IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void An_allowed_ipv4_network_opens_the_nat64_and_6to4_addresses_that_carry_it()
    {
        var guard = new DestinationGuard(false, ["10.1.0.0/16"]);

        Assert.True(guard.IsAllowed(IPAddress.Parse("64:ff9b::a01:203")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("2002:a01:203::1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("64:ff9b::a02:1")));
    }

    [Fact]
    public void An_allow_list_opens_only_its_networks()
    {
        var guard = new DestinationGuard(false, ["10.1.0.0/16", "fd00::5"]);

        Assert.True(guard.IsAllowed(IPAddress.Parse("10.1.2.3")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("10.2.0.1")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("fd00::5")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("fd00::6")));
    }

    [Fact]
    public void Allowing_private_networks_lifts_the_guard()
    {
        var guard = new DestinationGuard(true, []);

        Assert.True(guard.IsAllowed(IPAddress.Parse("169.254.169.254")));
        Assert.True(guard.IsAllowed(IPAddress.Loopback));
    }
}
