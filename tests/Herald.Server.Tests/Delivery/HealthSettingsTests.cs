using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>The breaker, auto-disable and rate settings are checked at start: a bad one stops it, naming the setting.</summary>
public class HealthSettingsTests
{
    [Theory]
    [InlineData("Delivery:Breaker:Failures", "0", "Delivery:Breaker:Failures must be at least 1")]
    [InlineData("Delivery:Breaker:MaxTracked", "99", "Delivery:Breaker:MaxTracked must be at least 100 (got 99)")]
    [InlineData("Delivery:TokenCacheSize", "0", "Delivery:TokenCacheSize must be at least 1 (got 0)")]
    [InlineData("Delivery:Breaker:CoolDown", "00:00:00", "Delivery:Breaker:CoolDown must be at least 00:00:01")]
    [InlineData("Delivery:Breaker:MaxCoolDown", "00:00:10", "Delivery:Breaker:MaxCoolDown must be between Delivery:Breaker:CoolDown")]
    [InlineData("Delivery:Breaker:MaxCoolDown", "2.00:00:00", "Delivery:Breaker:MaxCoolDown must be between Delivery:Breaker:CoolDown")]
    [InlineData("Delivery:AutoDisable:After", "-00:00:01", "Delivery:AutoDisable:After must be zero (off) or positive")]
    [InlineData("Delivery:AutoDisable:MinFailures", "0", "Delivery:AutoDisable:MinFailures must be at least 1")]
    [InlineData("Configs:MaxRateLimit", "0", "Configs:MaxRateLimit must be between 1 and 1000000")]
    [InlineData("Configs:TriggerCacheSize", "0", "Configs:TriggerCacheSize must be at least 1 (got 0)")]
    [InlineData("Workers:MaxJobsHeld", "0", "Workers:MaxJobsHeld must be at least 1 (got 0)")]
    [InlineData("Workers:HandOverWait", "-00:00:01", "Workers:HandOverWait must be between 00:00:00 (no wait) and 00:00:10 (got -00:00:01)")]
    [InlineData("Workers:HandOverWait", "00:00:11", "Workers:HandOverWait must be between 00:00:00 (no wait) and 00:00:10 (got 00:00:11)")]
    [InlineData("Files:MaxSpoolBytes", "0", "Files:MaxSpoolBytes must be positive (got 0)")]
    [InlineData("Files:DownloadTimeout", "00:00:00", "Files:DownloadTimeout must be positive (got 00:00:00)")]
    [InlineData("Workers:HandOverMaxBytes", "-1", "Workers:HandOverMaxBytes must be zero (one job at a time) or more (got -1)")]
    [InlineData("Workers:OrganizationsPerClaim", "0", "Workers:OrganizationsPerClaim must be between 1 and 1000000 (got 0)")]
    public void A_bad_setting_stops_the_start_naming_it(string key, string value, string expected)
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { [key] = value });

        Assert.Contains(expected, error.ToString());
    }
}
