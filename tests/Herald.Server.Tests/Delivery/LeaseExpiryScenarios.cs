using Herald.Server.Delivery;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// A job whose node dies with it is claimed again when its lease runs out, but not forever: after
/// <c>Delivery:MaxLeaseExpiries</c> expiries without an outcome the claim ends it as failed. Herald runs as an API
/// node only, so no worker of its own claims; the test claims through the queue as nodes that then die.
/// </summary>
public class LeaseExpiryScenarios : ReceiverScenario
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(90);

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Roles"] = "api",
        ["Delivery:MaxLeaseExpiries"] = "2",
    };

    [Fact]
    public async Task A_job_whose_lease_runs_out_MaxLeaseExpiries_times_ends_failed_and_names_the_setting()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        var queue = App.Services.GetRequiredService<JobClaims>();

        for (var node = 1; node <= 2; node++)
        {
            var now = App.Clock.GetUtcNow();
            Assert.Single(await queue.ClaimDueAsync($"dying-node-{node}", now, now + Lease, 10, Ct));
            App.Clock.Advance(Lease);
        }
        Assert.Equal("in_progress", (await Client.EventAsync(configId, eventId))["status"]!.GetValue<string>());

        var later = App.Clock.GetUtcNow();
        Assert.Empty(await queue.ClaimDueAsync("next-node", later, later + Lease, 10, Ct));

        var failed = await Client.EventAsync(configId, eventId);
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", failed["http_response"]!["code"]!.GetValue<string>());
        var message = failed["http_response"]!["message"]!.GetValue<string>();
        Assert.Contains("Delivery:MaxLeaseExpiries", message);
        Assert.Contains("2 times", message);
        Assert.NotNull(failed["end_date"]);
        Assert.Equal((0, 0), await App.Services.GetRequiredService<IDeliveryStore>().CountAsync(later, Ct));
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public void A_limit_below_one_stops_the_start()
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { ["Delivery:MaxLeaseExpiries"] = "0" });

        Assert.Contains("Delivery:MaxLeaseExpiries must be at least 1", error.ToString());
    }
}

/// <summary>The same scenario with Herald on PostgreSQL.</summary>
public sealed class PostgresLeaseExpiryScenarios(PostgresServer server) : LeaseExpiryScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
