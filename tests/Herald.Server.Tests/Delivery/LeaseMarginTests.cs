using Herald.Server.Delivery;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// The lease a node takes is never shorter than the attempt timeout plus <c>Delivery:LeaseMargin</c>: the margin is
/// what a crashed node's jobs wait out beyond the attempt timeout before another node may take them.
/// </summary>
public sealed class LeaseMarginTests
{
    [Theory]
    [InlineData(null, "00:00:05", 20)]
    [InlineData("00:00:02", "00:00:05", 7)]
    [InlineData("00:01:00", "00:00:05", 65)]
    [InlineData("00:00:02", "00:00:30", 30)]
    public void A_lease_is_the_longer_of_its_setting_and_the_attempt_timeout_with_the_margin(string? margin, string lease, int seconds)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Delivery:AttemptTimeout"] = "00:00:05",
            ["Delivery:LeaseDuration"] = lease,
        };
        if (margin is not null)
        {
            settings["Delivery:LeaseMargin"] = margin;
        }
        using var app = new HeraldApp(settings);
        app.Client().Dispose();
        var keeper = app.Services.GetRequiredService<LeaseKeeper>();

        Assert.Equal(TimeSpan.FromSeconds(seconds), keeper.NewLeaseEnd() - app.Clock.GetUtcNow());
    }

    [Theory]
    [InlineData("00:00:00.500")]
    [InlineData("00:10:01")]
    public void A_margin_out_of_its_range_stops_the_start_naming_the_setting_and_its_bounds(string margin)
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { ["Delivery:LeaseMargin"] = margin });

        Assert.Contains($"Delivery:LeaseMargin must be between 00:00:01 and 00:10:00 (got {TimeSpan.Parse(margin, System.Globalization.CultureInfo.InvariantCulture):c})", error.ToString());
    }
}
