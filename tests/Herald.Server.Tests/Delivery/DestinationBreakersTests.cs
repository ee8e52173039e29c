using Herald.Server.Delivery;
using Herald.Server.Egress;
using Herald.Server.Events;

namespace Herald.Server.Tests.Delivery;

/// <summary>The pure breaker: when it opens, what a job ready to send does meanwhile, and how the probe ends it.</summary>
public class DestinationBreakersTests
{
    private const string Destination = "https://down.example:443";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static DestinationBreakers Breakers() => new(new BreakerOptions { Failures = 3, CoolDown = TimeSpan.FromSeconds(30), MaxCoolDown = TimeSpan.FromSeconds(100) });

    [Fact]
    public void Only_connection_level_failures_count()
    {
        Assert.True(DestinationBreakers.IsConnectionFailure(AttemptResult.Failure(DeliveryCode.ConnectionError, "refused", retryable: true)));
        Assert.True(DestinationBreakers.IsConnectionFailure(AttemptResult.Failure(DeliveryCode.Timeout, "slow", retryable: true)));
        Assert.False(DestinationBreakers.IsConnectionFailure(AttemptResult.FromStatus(503, null, null, null, null)));
        Assert.False(DestinationBreakers.IsConnectionFailure(AttemptResult.Failure(DeliveryCode.DestinationBlocked, "blocked", retryable: false)));
    }

    [Fact]
    public void It_opens_after_the_threshold_in_a_row_and_any_answer_clears_the_count()
    {
        var breakers = Breakers();
        breakers.Ended(Destination, probe: false, connectionFailed: true, T0);
        breakers.Ended(Destination, probe: false, connectionFailed: true, T0);
        breakers.Ended(Destination, probe: false, connectionFailed: false, T0);
        breakers.Ended(Destination, probe: false, connectionFailed: true, T0);
        Assert.Equal(DestinationBreakers.Change.None, breakers.Ended(Destination, probe: false, connectionFailed: true, T0));
        Assert.Equal(BreakerState.Closed, breakers.StateOf(Destination));

        Assert.Equal(DestinationBreakers.Change.Opened, breakers.Ended(Destination, probe: false, connectionFailed: true, T0));
        Assert.Equal(T0.AddSeconds(30), breakers.ProbeAt(Destination));
        Assert.Equal(1, breakers.Opened);
    }

    [Fact]
    public void While_open_a_job_goes_back_to_the_queue_until_shortly_before_the_probe_then_waits_in_line()
    {
        var breakers = Breakers();
        for (var i = 0; i < 3; i++)
        {
            breakers.Ended(Destination, probe: false, connectionFailed: true, T0);
        }
        Assert.Equal((Admission.Defer, T0.AddSeconds(25)), breakers.Admit(Destination, T0.AddSeconds(1)));
        Assert.Equal(Admission.Hold, breakers.Admit(Destination, T0.AddSeconds(26)).Admission);
        Assert.Equal(Admission.Send, breakers.Admit("https://up.example:443", T0).Admission);
        // A send that started before the breaker opened fails like its fellows: nothing new.
        Assert.Equal(DestinationBreakers.Change.None, breakers.Ended(Destination, probe: false, connectionFailed: true, T0.AddSeconds(2)));
    }

    [Fact]
    public void A_failed_probe_reopens_for_twice_the_cool_down_up_to_the_maximum_and_a_good_one_closes()
    {
        var breakers = Breakers();
        for (var i = 0; i < 3; i++)
        {
            breakers.Ended(Destination, probe: false, connectionFailed: true, T0);
        }
        var now = T0;
        foreach (var expected in new[] { 60, 100, 100 })
        {
            now = breakers.ProbeAt(Destination)!.Value;
            Assert.True(breakers.ProbeDue(Destination));
            Assert.True(breakers.AwaitsProbe(Destination));
            breakers.ProbeStarted(Destination);
            Assert.False(breakers.AwaitsProbe(Destination));
            Assert.Equal(Admission.Hold, breakers.Admit(Destination, now).Admission);
            Assert.Equal(DestinationBreakers.Change.Opened, breakers.Ended(Destination, probe: true, connectionFailed: true, now));
            Assert.Equal(TimeSpan.FromSeconds(expected), Assert.Single(breakers.Open).CoolDown);
        }

        breakers.ProbeDue(Destination);
        breakers.ProbeStarted(Destination);
        // A probe that ended without an answer (its node stopping) lets the next in line probe instead.
        Assert.Equal(DestinationBreakers.Change.None, breakers.Ended(Destination, probe: true, connectionFailed: null, now));
        Assert.True(breakers.AwaitsProbe(Destination));
        breakers.ProbeStarted(Destination);
        Assert.Equal(DestinationBreakers.Change.Closed, breakers.Ended(Destination, probe: true, connectionFailed: false, now));
        Assert.Equal(BreakerState.Closed, breakers.StateOf(Destination));
        Assert.Empty(breakers.Open);
        Assert.Equal(4, breakers.Opened);
    }

    /// <summary>
    /// However many destinations fail, the breakers stay within <see cref="BreakerOptions.MaxTracked"/>: past it,
    /// the closed ones' counts and the breakers whose cool-down ended with no send to probe them are forgotten (and
    /// named, so that their lines are paused no more); an open breaker and one whose probe is in flight are kept.
    /// </summary>
    [Fact]
    public void Past_the_bound_breakers_that_await_a_probe_no_send_came_for_are_forgotten()
    {
        const int bound = 100;
        var breakers = new DestinationBreakers(new BreakerOptions { Failures = 3, CoolDown = TimeSpan.FromSeconds(30), MaxTracked = bound });
        for (var i = 0; i < bound - 3; i++)
        {
            OpenAt($"https://gone-{i}.example:443");
            Assert.True(breakers.ProbeDue($"https://gone-{i}.example:443"));
        }
        OpenAt("https://open.example:443");
        OpenAt("https://probing.example:443");
        breakers.ProbeDue("https://probing.example:443");
        breakers.ProbeStarted("https://probing.example:443");
        breakers.Ended("https://counted.example:443", probe: false, connectionFailed: true, T0);
        Assert.Equal(bound, breakers.Tracked);
        Assert.Empty(breakers.TakeForgotten());

        breakers.Ended("https://new.example:443", probe: false, connectionFailed: true, T0);

        Assert.Equal(3, breakers.Tracked);
        Assert.Equal(bound - 3, breakers.TakeForgotten().Distinct().Count());
        Assert.Empty(breakers.TakeForgotten());
        Assert.Equal(BreakerState.Open, breakers.StateOf("https://open.example:443"));
        Assert.Equal(BreakerState.Probing, breakers.StateOf("https://probing.example:443"));
        Assert.Equal(BreakerState.Closed, breakers.StateOf("https://gone-0.example:443"));
        Assert.Equal(Admission.Send, breakers.Admit("https://gone-0.example:443", T0).Admission);

        void OpenAt(string destination)
        {
            for (var f = 0; f < 3; f++)
            {
                breakers.Ended(destination, probe: false, connectionFailed: true, T0);
            }
        }
    }
}
