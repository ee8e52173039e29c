using System.Net;
using Herald.Server.Delivery;

namespace Herald.Server.Tests.Delivery;

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
