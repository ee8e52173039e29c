using Herald.Server.Delivery;
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

    /// <summary>A node of one slot: a config has room for two; both taken, and two have left 1 ms apart just now.</summary>
    private WaitingJobs FullAndMoving()
    {
        var waiting = new WaitingJobs(1, _time);
        Assert.True(waiting.TryAdmit(Org, Config));
        Assert.True(waiting.TryAdmit(Org, Config));
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
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

        var admitted = waiting.AdmitAsync(Org, Config, Wait);
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
        var first = waiting.AdmitAsync(Org, Config, Wait);
        var second = waiting.AdmitAsync(Org, Config, Wait);

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
        var admitted = waiting.AdmitAsync(Org, Config, Wait);

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

        var admitted = waiting.AdmitAsync(Org, Config, Wait);

        Assert.True(admitted.IsCompleted);
        Assert.False(await admitted);
    }

    [Fact]
    public async Task A_trigger_does_not_wait_when_the_jobs_ahead_stopped_leaving_for_longer_than_its_wait()
    {
        // A receiver that stopped answering: the last send started longer ago than the wait.
        var waiting = FullAndMoving();
        _time.Advance(Wait + TimeSpan.FromMilliseconds(1));

        var admitted = waiting.AdmitAsync(Org, Config, Wait);

        Assert.True(admitted.IsCompleted);
        Assert.False(await admitted);
    }

    [Fact]
    public async Task A_trigger_does_not_wait_when_the_jobs_ahead_leave_too_slowly_to_free_places_within_its_wait()
    {
        // A slow receiver: its sends start 50 ms apart, two places at most within a 100 ms wait.
        var waiting = new WaitingJobs(1, _time);
        Assert.True(waiting.TryAdmit(Org, Config));
        Assert.True(waiting.TryAdmit(Org, Config));
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            waiting.Leave(Org, Config, claimed: false);
            Assert.True(waiting.TryAdmit(Org, Config));
        }

        var admitted = waiting.AdmitAsync(Org, Config, Wait);

        Assert.True(admitted.IsCompleted);
        Assert.False(await admitted);
    }

    [Fact]
    public async Task Ending_the_waits_answers_every_waiting_trigger_unadmitted()
    {
        var waiting = FullAndMoving();
        var first = waiting.AdmitAsync(Org, Config, Wait);
        var second = waiting.AdmitAsync(Org, Config, Wait);

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
        var queued = waiting.AdmitAsync(Org, Config, Wait);

        Assert.True(await waiting.AdmitAsync(Org, new ConfigId("config-2"), Wait));
        Assert.False(queued.IsCompleted);
    }
}
