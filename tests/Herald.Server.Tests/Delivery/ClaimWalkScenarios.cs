using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// A claim visits at most <c>Workers:OrganizationsPerClaim</c> organizations with waiting jobs; a claim that found less
/// than its room goes on at once with the next ones until it has been round them all, so one wake-up still takes every
/// organization's due jobs.
/// </summary>
public class ClaimWalkScenarios : ReceiverScenario
{
    private static readonly string[] Organizations = ["org-c", "org-d", "org-e", "org-f"];

    protected override IReadOnlyDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?> { ["Workers:OrganizationsPerClaim"] = "1" };
            for (var i = 0; i < Organizations.Length; i++)
            {
                settings[$"Auth:Tokens:{i + 2}:Token"] = "token-for-" + Organizations[i];
                settings[$"Auth:Tokens:{i + 2}:OrgId"] = Organizations[i];
            }
            return settings;
        }
    }

    [Fact]
    public async Task One_wake_up_claims_the_due_retries_of_more_organizations_than_one_claim_visits()
    {
        var eventIds = new List<string>();
        foreach (var org in Organizations)
        {
            using var client = App.Client("token-for-" + org);
            var (configId, _) = await client.CreateConfigAsync(Receiver.Url, """ "retryPolicy":{"enabled":true,"maxAttempts":3} """);
            // Its first attempt fails, so its retry waits in the queue, due 5 s later (+/-10%) on the app's clock.
            Receiver.Enqueue(new Answer.Status(500));
            eventIds.Add((await client.TriggerAsync(configId))["event_id"]!.GetValue<string>());
            await Receiver.WaitForAsync(eventIds.Count);
        }
        await Eventually.ReturnsAsync(() => App.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs WHERE lease_owner IS NULL"), n => Backlogs.Count(n) == Organizations.Length,
            "every retry to wait in the queue");

        // The clock stands still but for this one move: the worker's poll wakes it once, past every retry's due time.
        App.Clock.Advance(TimeSpan.FromSeconds(6));

        var received = await Receiver.WaitForAsync(2 * Organizations.Length, TimeSpan.FromSeconds(20));
        Assert.Equal(eventIds.Select(WebhookSteps.MessageIdOf).Order(), received.Skip(Organizations.Length).Select(r => r.Header("webhook-id")).Order());
    }
}

/// <summary>The same scenario with Herald on PostgreSQL.</summary>
public sealed class PostgresClaimWalkScenarios(PostgresServer server) : ClaimWalkScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
