using System.Diagnostics;
using Herald.Server.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// One receiver alone gets every slot of the node; a job that finds no slot waits on the node for its turn, and is
/// never given back to the queue with a delay. One organization's receivers that never answer hold at most its share of the node's sends.
/// </summary>
public class BusyDestinationScenarios : ReceiverScenario
{
    // The defaults, except that hanging requests are given up quickly when the test ends.
    protected override IReadOnlyDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?> { ["Workers:ShutdownGrace"] = "00:00:00.200" };
            // Organizations c to l besides the app's a and b.
            for (var i = 0; i < NoisyOrganizations.Length; i++)
            {
                settings[$"Auth:Tokens:{i + 2}:Token"] = $"token-for-org-{NoisyOrganizations[i]}";
                settings[$"Auth:Tokens:{i + 2}:OrgId"] = $"org-{NoisyOrganizations[i]}";
            }
            return settings;
        }
    }

    private static readonly string[] NoisyOrganizations = ["c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];

    /// <summary>The queue's jobs due later than the earliest: with the clock standing still, none unless one was put off.</summary>
    private async Task<long> PutOffJobsAsync() =>
        Backlogs.Count(await App.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs WHERE due_at > (SELECT MIN(due_at) FROM delivery_jobs)"));

    [Fact]
    public async Task A_backlog_to_one_receiver_gets_every_slot_of_the_node_on_the_defaults()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Default = new Answer.Gated(release.Task);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        try
        {
            await Client.TriggerAllAsync(Enumerable.Repeat(configId, 64).ToList());
            // The receiver answers nothing until every one of the node's 32 slots (Workers:Concurrency) sends to it.
            await Receiver.WaitForAsync(32);
            Assert.Equal(32, Receiver.InFlight);

            release.SetResult();
            await Receiver.WaitForAsync(64);
            Assert.Equal(32, Receiver.MaxInFlight);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_backlog_to_one_receiver_waits_its_turn_on_the_node_and_every_event_is_delivered_once()
    {
        const int Events = 2000;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Default = new Answer.Gated(release.Task);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        // The receiver holds its first answers: the node's slots are all taken while the whole backlog arrives.
        var eventIds = await Client.TriggerAllAsync(Enumerable.Repeat(configId, Events).ToList());
        await Eventually.ReturnsAsync(() => Task.FromResult(Receiver.InFlight), n => n == 32, "every slot of the node to be taken");
        Assert.Equal(0, await PutOffJobsAsync());

        release.SetResult();
        // The fake clock never moves: a job put off for even a moment would never be due again.
        var received = await Receiver.WaitForAsync(Events, TimeSpan.FromSeconds(60));
        Assert.Equal(eventIds.Select(WebhookSteps.MessageIdOf).Order(), received.Select(r => r.Header("webhook-id")).Order());
        await Eventually.ReturnsAsync(() => App.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs"), n => Backlogs.Count(n) == 0, "the queue to empty");
        Assert.Equal(Events, Backlogs.Count(await App.ScalarAsync("SELECT COUNT(*) FROM webhook_events WHERE status = 'succeeded'")));
        Assert.Equal(Events, Backlogs.Count(await App.ScalarAsync("SELECT COUNT(*) FROM delivery_attempts WHERE number = 1")));
        Assert.Equal(Events, Backlogs.Count(await App.ScalarAsync("SELECT COUNT(*) FROM delivery_attempts")));
        Assert.Equal(32, Receiver.MaxInFlight);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_borrows_every_slot_and_another_of_its_organization_still_starts_at_once()
    {
        OtherReceivers.AddRange(await Backlogs.SilentReceiversAsync(1));
        var (silentConfig, _) = await Client.CreateConfigAsync(OtherReceivers[0].Url);
        var (healthyConfig, _) = await Client.CreateConfigAsync(Receiver.Url);

        await Client.TriggerAllAsync(Enumerable.Repeat(silentConfig, 64).ToList());
        // Alone, it takes every slot of the node, with sends that will not end before the attempt timeout.
        await Eventually.ReturnsAsync(() => Task.FromResult(OtherReceivers[0].InFlight), n => n == 32, "the silent receiver to hold every slot");

        var clock = Stopwatch.StartNew();
        var eventId = (await Client.TriggerAsync(healthyConfig))["event_id"]!.GetValue<string>();
        var received = await Receiver.WaitForAsync(1, TimeSpan.FromSeconds(2));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"delivered after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(WebhookSteps.MessageIdOf(eventId), received[0].Header("webhook-id"));
        await Client.EventWithStatusAsync(healthyConfig, eventId, "succeeded");
    }

    /// <summary>
    /// Three configs of organization A to receivers that never answer, and organization B's client with a config to the
    /// healthy receiver.
    /// </summary>
    private async Task<(List<string> Noisy, HttpClient OtherOrg, string HealthyConfig)> NoisyAndHealthyAsync()
    {
        OtherReceivers.AddRange(await Backlogs.SilentReceiversAsync(3));
        var noisy = new List<string>();
        foreach (var receiver in OtherReceivers)
        {
            noisy.Add((await Client.CreateConfigAsync(receiver.Url)).Id);
        }
        var otherOrg = App.Client(HeraldApp.TokenB);
        return (noisy, otherOrg, (await otherOrg.CreateConfigAsync(Receiver.Url)).Id);
    }

    [Fact]
    public async Task An_organization_whose_receivers_never_answer_leaves_room_for_another_organization()
    {
        var (noisy, otherOrg, healthyConfig) = await NoisyAndHealthyAsync();
        using var _ = otherOrg;

        await Client.TriggerAllAsync(Enumerable.Range(0, 120).Select(i => noisy[i % noisy.Count]).ToList());
        // Every slot of the node is taken by sends that will never end.
        await Eventually.ReturnsAsync(() => Task.FromResult(OtherReceivers.Sum(r => r.InFlight)), n => n >= 32, "the silent receivers to hold the node's slots");

        var clock = Stopwatch.StartNew();
        var eventId = (await otherOrg.TriggerAsync(healthyConfig))["event_id"]!.GetValue<string>();
        var received = await Receiver.WaitForAsync(1, TimeSpan.FromSeconds(2));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"delivered after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(WebhookSteps.MessageIdOf(eventId), received[0].Header("webhook-id"));
        await otherOrg.EventWithStatusAsync(healthyConfig, eventId, "succeeded");
    }

    /// <summary>
    /// Two organizations whose receivers never answer hold the node's slots and every organization's share (the first
    /// borrowed every slot while alone, the second overtook it within its share): a third organization's send waits
    /// <c>Delivery:FullNodeWait</c> (1 s) with none in flight, then starts beyond the node's bound, instead of waiting
    /// for the attempts to time out (30 s).
    /// </summary>
    [Fact]
    public async Task Once_two_organizations_receivers_that_never_answer_fill_the_node_a_third_organizations_send_starts_after_the_full_node_wait()
    {
        OtherReceivers.AddRange(await Backlogs.SilentReceiversAsync(2));
        var firstSilent = (await Client.CreateConfigAsync(OtherReceivers[0].Url)).Id;
        using var secondOrg = App.Client("token-for-org-c");
        var secondSilent = (await secondOrg.CreateConfigAsync(OtherReceivers[1].Url)).Id;
        using var thirdOrg = App.Client(HeraldApp.TokenB);
        var healthyConfig = (await thirdOrg.CreateConfigAsync(Receiver.Url)).Id;

        await Client.TriggerAllAsync(Enumerable.Repeat(firstSilent, 40).ToList());
        await Eventually.ReturnsAsync(() => Task.FromResult(OtherReceivers[0].InFlight), n => n == 32, "the first organization to borrow every slot");
        await secondOrg.TriggerAllAsync(Enumerable.Repeat(secondSilent, 40).ToList());
        await Eventually.ReturnsAsync(() => Task.FromResult(OtherReceivers[1].InFlight), n => n == 16, "the second organization to take its share");

        var eventId = (await thirdOrg.TriggerAsync(healthyConfig))["event_id"]!.GetValue<string>();
        // The app's clock stands still: the third organization's send waits on the full node.
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        Assert.Empty(Receiver.Received);

        var before = App.Clock.GetUtcNow();
        await App.CreepUntilAsync(TimeSpan.FromMilliseconds(900), () => Receiver.Received.Count >= 1, "the third organization's event to be delivered");
        var waited = App.Clock.GetUtcNow() - before;
        Assert.True(waited >= TimeSpan.FromSeconds(1) && waited < TimeSpan.FromSeconds(3), $"delivered after {waited.TotalSeconds:0.0} s on the app's clock");
        Assert.Equal(WebhookSteps.MessageIdOf(eventId), Receiver.Received[0].Header("webhook-id"));
        await thirdOrg.EventWithStatusAsync(healthyConfig, eventId, "succeeded");
        // The silent receivers still hold what they held: the send went beyond the node's bound.
        Assert.Equal(48, OtherReceivers.Sum(r => r.InFlight));
        Assert.Equal(1, HostGauges.Read(App.Services, DeliveryMetrics.MeterName, "herald.sends.let_through"));
    }

    /// <summary>
    /// Organizations, one after another, each send 120 events to receivers that never answer, until their jobs fill the
    /// node's sends, its room for handed-over jobs and its room for claimed jobs (those that reached the queue each kept
    /// what they claimed as the shares shrank: seven or eight organizations at the defaults). Another organization's
    /// event still goes through the queue, is claimed in the newcomers' room, and is let through the full node after
    /// <c>Delivery:FullNodeWait</c>.
    /// </summary>
    [Fact]
    public async Task Organizations_whose_receivers_never_answer_fill_every_room_of_the_node_and_another_organizations_event_is_still_delivered()
    {
        OtherReceivers.AddRange(await Backlogs.SilentReceiversAsync(3));
        var waiting = App.Services.GetRequiredService<JobRunner>().Waiting;
        var full = false;
        foreach (var token in NoisyOrganizations.Select(o => $"token-for-org-{o}").Prepend(HeraldApp.TokenA))
        {
            using var noisy = App.Client(token);
            var configs = new List<string>();
            foreach (var receiver in OtherReceivers)
            {
                configs.Add((await noisy.CreateConfigAsync(receiver.Url)).Id);
            }
            await noisy.TriggerAllAsync(Enumerable.Range(0, 120).Select(i => configs[i % configs.Count]).ToList());
            await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
            // Full: a claim may take only one job of an organization holding none.
            if (full = waiting.ClaimRoomNow().PerOrganization == 1)
            {
                break;
            }
        }
        Assert.True(full, "the organizations' claimed jobs never filled the node's room for claims");
        Assert.Equal(48, OtherReceivers.Sum(r => r.InFlight));

        // More triggers of a full organization go to the queue, each with a wake-up: the worker claims the newcomers'
        // room at most every 100 ms (DeliveryWorker.NewcomerClaimPause), not once per trigger.
        var worker = App.Services.GetRequiredService<DeliveryWorker>();
        var claimsBefore = worker.Claims;
        var clock = Stopwatch.StartNew();
        var firstSilent = (await Client.CreateConfigAsync(OtherReceivers[0].Url)).Id;
        await Client.TriggerAllAsync(Enumerable.Repeat(firstSilent, 200).ToList());
        var claims = worker.Claims - claimsBefore;
        var most = clock.Elapsed / DeliveryWorker.NewcomerClaimPause + 3;
        Assert.True(claims <= most, $"{claims} claims during {clock.Elapsed.TotalMilliseconds:0} ms of triggers (at most {most:0})");

        using var other = App.Client(HeraldApp.TokenB);
        var healthyConfig = (await other.CreateConfigAsync(Receiver.Url)).Id;
        var eventId = (await other.TriggerAsync(healthyConfig))["event_id"]!.GetValue<string>();
        var before = App.Clock.GetUtcNow();
        await App.CreepUntilAsync(TimeSpan.Zero, () => Receiver.Received.Count >= 1, "the other organization's event to be delivered");
        var waited = App.Clock.GetUtcNow() - before;
        Assert.True(waited < TimeSpan.FromSeconds(3), $"delivered after {waited.TotalSeconds:0.0} s on the app's clock");
        Assert.Equal(WebhookSteps.MessageIdOf(eventId), Receiver.Received[0].Header("webhook-id"));
        await other.EventWithStatusAsync(healthyConfig, eventId, "succeeded");
        Assert.Equal(48, OtherReceivers.Sum(r => r.InFlight));
    }

    /// <summary>
    /// Jobs in the queue are claimed by organization in turn, not all in due order: another organization's retry, due
    /// after a backlog of jobs whose receivers never answer, is claimed when due, though the backlog's claimed jobs fill
    /// the node's room for claims and all of them came first.
    /// </summary>
    [Fact]
    public async Task Another_organizations_retry_is_claimed_when_due_behind_a_backlog_whose_receivers_never_answer()
    {
        var (noisy, otherOrg, healthyConfig) = await NoisyAndHealthyAsync();
        using var _ = otherOrg;
        // Its first attempt fails, so its retry waits in the queue, due 5 s later (+/-10%) on the app's clock.
        Receiver.Enqueue(new Answer.Status(500));
        var eventId = (await otherOrg.TriggerAsync(healthyConfig))["event_id"]!.GetValue<string>();
        await Receiver.WaitForAsync(1);

        // More than the node takes over: the rest go to the queue, due before the retry.
        await Client.TriggerAllAsync(Enumerable.Range(0, 400).Select(i => noisy[i % noisy.Count]).ToList());
        await Eventually.ReturnsAsync(() => Task.FromResult(OtherReceivers.Sum(r => r.InFlight)), n => n >= 32, "the silent receivers to hold the node's slots");
        Assert.True(Backlogs.Count(await App.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs WHERE lease_owner IS NULL")) > 100, "a backlog in the queue");

        // The app's clock stands still: moved past the retry's due time, then on by 100 ms every 50 ms of real time.
        var creeping = Stopwatch.StartNew();
        await App.CreepUntilAsync(TimeSpan.FromSeconds(6), () => Receiver.Received.Count >= 2, "the retry to be delivered");
        Assert.True(creeping.Elapsed < TimeSpan.FromSeconds(5), $"the retry was delivered {creeping.Elapsed.TotalSeconds:0.0} s after it was due");
        var received = await Receiver.WaitForAsync(2);
        Assert.Equal(WebhookSteps.MessageIdOf(eventId), received[1].Header("webhook-id"));
        await otherOrg.EventWithStatusAsync(healthyConfig, eventId, "succeeded");
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresBusyDestinationScenarios(PostgresServer server) : BusyDestinationScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
