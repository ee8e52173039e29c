using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Http;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// A trigger that finds no room on its node waits for a place, in the order the triggers came and at most its wait,
/// but only while the jobs ahead of it leave (start their sends) at a pace that frees one in time.
/// </summary>
public sealed class WaitingJobsTests
{
    private static readonly OrganizationId Org = new("org-1");
    private static readonly ConfigId Config = new("config-1");
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _time = new();

    /// <summary>
    /// A node of one slot: a config has room for two; both taken, and two have left <paramref name="apartMs"/> ms apart
    /// (1 by default), the last just now.
    /// </summary>
    private WaitingJobs FullAndMoving(int apartMs = 1)
    {
        var waiting = new WaitingJobs(1, _time);
        Assert.True(waiting.TryAdmit(Org, Config));
        Assert.True(waiting.TryAdmit(Org, Config));
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(apartMs));
            waiting.Leave(Org, Config, claimed: false);
            Assert.True(waiting.TryAdmit(Org, Config));
        }
        Assert.False(waiting.TryAdmit(Org, Config));
        return waiting;
    }

    [Fact]
    public async Task A_trigger_without_room_takes_the_place_of_the_next_job_that_starts_its_send()
    {
        var waiting = FullAndMoving();

        var admitted = waiting.AdmitAsync(Org, Config, 0, Wait);
        Assert.False(admitted.IsCompleted);

        waiting.Leave(Org, Config, claimed: false);

        Assert.True(await admitted);
        // It holds the place it took: the room is full again.
        Assert.False(waiting.TryAdmit(Org, Config));
    }

    [Fact]
    public async Task Waiting_triggers_get_places_in_the_order_they_came_and_a_newcomer_does_not_overtake_them()
    {
        var waiting = FullAndMoving();
        var first = waiting.AdmitAsync(Org, Config, 0, Wait);
        var second = waiting.AdmitAsync(Org, Config, 0, Wait);

        waiting.Leave(Org, Config, claimed: false);
        Assert.True(await first);
        Assert.False(second.IsCompleted);
        Assert.False(waiting.TryAdmit(Org, Config));

        waiting.Leave(Org, Config, claimed: false);
        Assert.True(await second);
    }

    [Fact]
    public async Task A_trigger_waits_no_longer_than_its_wait_and_is_then_not_counted_in()
    {
        var waiting = FullAndMoving();
        var admitted = waiting.AdmitAsync(Org, Config, 0, Wait);

        _time.Advance(Wait);

        Assert.False(await admitted);
        // The place freed next goes to no one: the room has one again.
        waiting.Leave(Org, Config, claimed: false);
        Assert.True(waiting.TryAdmit(Org, Config));
        Assert.False(waiting.TryAdmit(Org, Config));
    }

    [Fact]
    public async Task A_trigger_does_not_wait_when_no_job_ahead_of_it_started_its_send()
    {
        var waiting = new WaitingJobs(1, _time);
        Assert.True(waiting.TryAdmit(Org, Config));
        Assert.True(waiting.TryAdmit(Org, Config));

        var admitted = waiting.AdmitAsync(Org, Config, 0, Wait);

        Assert.True(admitted.IsCompleted);
        Assert.False(await admitted);
    }

    [Fact]
    public async Task A_trigger_does_not_wait_when_the_jobs_ahead_stopped_leaving_for_longer_than_its_wait()
    {
        // A receiver that stopped answering: the last send started longer ago than the wait.
        var waiting = FullAndMoving();
        _time.Advance(Wait + TimeSpan.FromMilliseconds(1));

        var admitted = waiting.AdmitAsync(Org, Config, 0, Wait);

        Assert.True(admitted.IsCompleted);
        Assert.False(await admitted);
    }

    [Fact]
    public async Task A_trigger_does_not_wait_when_the_jobs_ahead_leave_too_slowly_to_free_places_within_its_wait()
    {
        // A slow receiver: its sends start 50 ms apart, two places at most within a 100 ms wait.
        var waiting = FullAndMoving(apartMs: 50);

        var admitted = waiting.AdmitAsync(Org, Config, 0, Wait);

        Assert.True(admitted.IsCompleted);
        Assert.False(await admitted);
    }

    [Fact]
    public async Task Ending_the_waits_answers_every_waiting_trigger_unadmitted()
    {
        var waiting = FullAndMoving();
        var first = waiting.AdmitAsync(Org, Config, 0, Wait);
        var second = waiting.AdmitAsync(Org, Config, 0, Wait);

        waiting.EndWaits();

        Assert.False(await first);
        Assert.False(await second);
        waiting.Leave(Org, Config, claimed: false);
        Assert.True(waiting.TryAdmit(Org, Config));
    }

    [Fact]
    public async Task A_trigger_of_another_config_with_room_is_admitted_at_once_while_others_wait()
    {
        var waiting = FullAndMoving();
        var queued = waiting.AdmitAsync(Org, Config, 0, Wait);

        Assert.True(await waiting.AdmitAsync(Org, new ConfigId("config-2"), 0, Wait));
        Assert.False(queued.IsCompleted);
    }
    [Fact]
    public void The_inputs_handed_over_stay_within_the_byte_budget_unless_only_one_waits()
    {
        var waiting = new WaitingJobs(4, _time, maxBytes: 10_000);
        Assert.True(waiting.TryAdmit(Org, new ConfigId("a"), 6_000));
        Assert.False(waiting.TryAdmit(Org, new ConfigId("b"), 6_000));
        Assert.True(waiting.TryAdmit(Org, new ConfigId("b"), 4_000));
        Assert.Equal(10_000, waiting.Bytes);

        waiting.Leave(Org, new ConfigId("a"), claimed: false, 6_000);
        waiting.Leave(Org, new ConfigId("b"), claimed: false, 4_000);
        Assert.Equal(0, waiting.Bytes);

        // Alone, a job larger than the budget is still taken; then nothing else is.
        Assert.True(waiting.TryAdmit(Org, new ConfigId("c"), 50_000));
        Assert.False(waiting.TryAdmit(Org, new ConfigId("d"), 1));
    }

    [Fact]
    public async Task A_trigger_does_not_wait_for_memory_to_free()
    {
        var waiting = new WaitingJobs(1, _time, maxBytes: 10_000);
        Assert.True(waiting.TryAdmit(Org, Config, 8_000));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        waiting.Leave(Org, Config, claimed: false, 8_000);
        Assert.True(waiting.TryAdmit(Org, Config, 8_000));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        waiting.Leave(Org, Config, claimed: false, 8_000);
        Assert.True(waiting.TryAdmit(Org, Config, 8_000));

        // Its config has room and jobs leave at a fast pace, but its input does not fit beside the one waiting.
        var admitted = waiting.AdmitAsync(Org, Config, 8_000, Wait);

        Assert.True(admitted.IsCompleted);
        Assert.False(await admitted);
    }

    [Fact]
    public void A_handed_over_event_is_counted_by_its_input_and_body_as_text()
    {
        var stored = new Herald.Server.Events.EventRecord
        {
            EventId = WebhookEventId.From("evt-1"),
            OrgId = Org,
            ConfigId = Config,
            EventName = "order_created",
            CreatedAt = DateTimeOffset.UnixEpoch,
            Status = Herald.Server.Events.EventStatus.InProgress,
            Input = new string('x', 1000),
            Payload = new string('y', 500),
        };

        Assert.Equal(1024 + 2 * 1500, WaitingJobs.SizeOf(stored));
        Assert.Equal(0, WaitingJobs.SizeOf(null));
    }

    private static DeliveryJob ClaimedJob(OrganizationId orgId) =>
        new() { EventId = WebhookEventId.From(Guid.NewGuid().ToString()), OrgId = orgId, ConfigId = Config, Kind = JobKind.Deliver, DueAt = DateTimeOffset.UnixEpoch };

    /// <summary>
    /// Claimed jobs still waiting count against the node's room for claims (twice its slots) and their organization's
    /// share (half its slots): an organization that holds its share leaves the rest of the room to others. When a claim
    /// took all it allowed of an organization, the first of its jobs to start its send says so, once.
    /// </summary>
    [Fact]
    public async Task Claimed_jobs_fill_their_organizations_share_and_the_nodes_room_and_a_full_share_freed_is_announced()
    {
        var waiting = new WaitingJobs(8, _time);
        var other = new OrganizationId("org-2");
        var freed = 0;
        waiting.OrganizationFreed += () => freed++;
        Assert.Equal((16, 4), (waiting.ClaimRoomNow().Max, waiting.ClaimRoomNow().PerOrganization));

        // The claim took all it allowed of Org: more of its jobs may wait in the queue.
        waiting.AddClaimed([.. Enumerable.Range(0, 4).Select(_ => ClaimedJob(Org))], waiting.ClaimRoomNow());
        var room = waiting.ClaimRoomNow();
        Assert.Equal((12, 0, 4), (room.Max, room.LeftFor(Org), room.LeftFor(other)));

        // One each of twelve organizations, each below its share: the queue had no more of them.
        waiting.AddClaimed([.. Enumerable.Range(0, 12).Select(i => ClaimedJob(new OrganizationId($"org-x{i}")))], waiting.ClaimRoomNow());
        // The room is full: a claim now takes only one job of an organization that holds none (the newcomers' room).
        room = waiting.ClaimRoomNow();
        Assert.Equal((16, 1, 0, 0, 1), (room.Max, room.PerOrganization, room.LeftFor(Org), room.LeftFor(new OrganizationId("org-x0")), room.LeftFor(other)));

        waiting.Leave(new OrganizationId("org-x0"), Config, claimed: true);
        Assert.Equal(0, freed);
        waiting.Leave(Org, Config, claimed: true);
        Assert.Equal(1, freed);
        Assert.Equal(3, waiting.ClaimRoomNow().Held[Org]);
        // Below the room again: twelve organizations hold claimed jobs, and 16 / 14 leaves each a share of one.
        Assert.Equal((2, 1), (waiting.ClaimRoomNow().Max, waiting.ClaimRoomNow().PerOrganization));
        waiting.Leave(Org, Config, claimed: true);
        Assert.Equal(1, freed);
        await waiting.RoomAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Organizations whose claimed jobs never start their sends (their receivers never answer) may fill the node's room
    /// for claims: an organization holding none still claims one job at a time beyond it, up to as many again in all;
    /// then claims wait for room, and the first job to leave makes some.
    /// </summary>
    [Fact]
    public async Task Once_the_room_for_claims_is_full_an_organization_holding_none_still_claims_one_job_at_a_time_up_to_as_many_again()
    {
        var waiting = new WaitingJobs(8, _time);
        var freed = 0;
        waiting.OrganizationFreed += () => freed++;
        // Five organizations take their shares as they come (4, 4, 4, 3, then the one place left): the room is full.
        OrganizationId[] holders = [.. Enumerable.Range(0, 5).Select(i => new OrganizationId($"org-h{i}"))];
        foreach (var org in holders)
        {
            var share = waiting.ClaimRoomNow();
            waiting.AddClaimed([.. Enumerable.Range(0, Math.Min(share.Max, share.LeftFor(org))).Select(_ => ClaimedJob(org))], share);
        }
        var full = waiting.ClaimRoomNow();
        Assert.Equal((16, 1), (full.Max, full.PerOrganization));
        Assert.All(holders, org => Assert.Equal(0, full.LeftFor(org)));

        // Sixteen newcomers, one job each: the newcomers' room is used up, and a claim waits for room.
        OrganizationId[] newcomers = [.. Enumerable.Range(0, 16).Select(i => new OrganizationId($"org-n{i}"))];
        Assert.All(newcomers, org => Assert.Equal(1, full.LeftFor(org)));
        waiting.AddClaimed([.. newcomers.Select(ClaimedJob)], full);
        Assert.Equal(0, waiting.ClaimRoomNow().Max);
        var room = waiting.RoomAsync(TestContext.Current.CancellationToken);
        Assert.False(room.IsCompleted);

        // A newcomer's job starts its send: it took all it was allowed, so it hears it may claim again.
        freed = 0;
        waiting.Leave(newcomers[0], Config, claimed: true);
        Assert.Equal(1, freed);
        await room;
        var next = waiting.ClaimRoomNow();
        Assert.Equal((1, 1, 0), (next.Max, next.LeftFor(newcomers[0]), next.LeftFor(newcomers[1])));
    }

    /// <summary>
    /// Once more than two organizations hold claimed jobs, each one's share is the room divided among them and two more,
    /// so organizations that hold their shares (whose receivers never answer, say) claim less as more come and a fifth
    /// still finds room; when one of them is gone the shares grow back, and an organization that used up its share
    /// hears it may claim more.
    /// </summary>
    [Fact]
    public void Organizations_holding_claimed_jobs_share_the_room_with_two_more_and_a_share_that_grows_back_is_announced()
    {
        var waiting = new WaitingJobs(8, _time);
        var freed = 0;
        waiting.OrganizationFreed += () => freed++;
        OrganizationId[] orgs = [.. Enumerable.Range(1, 5).Select(i => new OrganizationId($"org-n{i}"))];

        // Each takes all its share allows when it comes: 4, 4, 4 (16 / 4 while two hold), then 3 (16 / 5), then 1.
        var taken = new List<int>();
        foreach (var org in orgs)
        {
            var room = waiting.ClaimRoomNow();
            var take = Math.Min(room.Max, room.LeftFor(org));
            taken.Add(take);
            waiting.AddClaimed([.. Enumerable.Range(0, take).Select(_ => ClaimedJob(org))], room);
        }
        Assert.Equal([4, 4, 4, 3, 1], taken);
        // Five hold and the room is full: a claim may take one job of an organization holding none, and none of theirs.
        Assert.Equal((0, 1), (waiting.ClaimRoomNow().LeftFor(orgs[0]), waiting.ClaimRoomNow().PerOrganization));

        // The last one's job starts its send: four hold, 16 / 6 is still two each, and it had not used up its share.
        freed = 0;
        waiting.Leave(orgs[4], Config, claimed: true);
        Assert.Equal((0, 2), (freed, waiting.ClaimRoomNow().PerOrganization));
        // The fourth, which had, hears it once its first job leaves; once its last leaves, three hold and the share
        // grows to 16 / 5: the three that used theirs up hear it.
        waiting.Leave(orgs[3], Config, claimed: true);
        Assert.Equal(1, freed);
        waiting.Leave(orgs[3], Config, claimed: true);
        Assert.Equal(1, freed);
        waiting.Leave(orgs[3], Config, claimed: true);
        Assert.Equal((2, 3), (freed, waiting.ClaimRoomNow().PerOrganization));
        Assert.Equal(0, waiting.ClaimRoomNow().LeftFor(orgs[0]));
    }

    /// <summary>
    /// A claim that took all an organization's share allowed, though it held fewer than its share once a job of it left
    /// meanwhile, still has the next job of it to leave say so: its further jobs may wait in the queue.
    /// </summary>
    [Fact]
    public void A_claim_that_used_up_an_organizations_share_is_announced_freed_though_a_job_left_while_it_ran()
    {
        var waiting = new WaitingJobs(8, _time);
        var freed = 0;
        waiting.OrganizationFreed += () => freed++;
        waiting.AddClaimed([.. Enumerable.Range(0, 3).Select(_ => ClaimedJob(Org))], waiting.ClaimRoomNow());
        Assert.Equal(0, freed);

        var room = waiting.ClaimRoomNow();
        Assert.Equal(1, room.LeftFor(Org));
        // One of the three starts its send while the claim of the fourth runs.
        waiting.Leave(Org, Config, claimed: true);
        waiting.AddClaimed([ClaimedJob(Org)], room);
        Assert.Equal(3, waiting.ClaimRoomNow().Held[Org]);

        waiting.Leave(Org, Config, claimed: true);
        Assert.Equal(1, freed);
    }
}
