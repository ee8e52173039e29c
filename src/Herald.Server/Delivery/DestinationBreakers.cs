using Herald.Server.Egress;
using Herald.Server.Events;

namespace Herald.Server.Delivery;

/// <summary>What a destination's breaker says to a job that is ready to send.</summary>
public enum Admission
{
    /// <summary>Closed, or its probe may go: the job waits in line as usual.</summary>
    Send,

    /// <summary>Open, its probe due soon, or a probe in flight: the job waits in line, which does not move.</summary>
    Hold,

    /// <summary>Open for a while yet: the job goes back to the queue, due when the probe is near.</summary>
    Defer,
}

/// <summary>
/// The pure state of this node's circuit breakers, one per destination (scheme, host, port) that has failed lately;
/// no clock, no threads, no I/O (<see cref="DeliveryScheduler"/> owns the lock and the timers).
/// <list type="bullet">
/// <item>Closed: sends go; <see cref="BreakerOptions.Failures"/> connection-level failures in a row open it. Any
/// answer at all (whatever its status) shows the destination is reachable and clears the count.</item>
/// <item>Open until its cool-down ends (<see cref="BreakerOptions.CoolDown"/>, doubled on each reopen up to
/// <see cref="BreakerOptions.MaxCoolDown"/>): nothing is sent. Jobs ready to send go back to the queue due
/// <see cref="Gather"/> before the probe, so that they are back on the node, in line and in order, when it goes.</item>
/// <item>Probing: when the cool-down ends, one send, the first in line, is the probe; the others wait. Its answer
/// closes the breaker; another connection-level failure reopens it.</item>
/// </list>
/// </summary>
public sealed class DestinationBreakers(BreakerOptions options)
{
    private readonly Dictionary<string, Breaker> _byDestination = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _forgotten = [];

    /// <summary>Opens and reopens since the node started.</summary>
    public long Opened { get; private set; }

    /// <summary>The destinations whose breaker is open or probing, with their current cool-down.</summary>
    public IEnumerable<(string Destination, TimeSpan CoolDown)> Open =>
        _byDestination.Where(b => b.Value.State != BreakerState.Closed).Select(b => (b.Key, b.Value.CoolDown));

    public int OpenCount => _byDestination.Values.Count(b => b.State != BreakerState.Closed);

    /// <summary>Whether a failure says the destination could not be reached: refused, reset, TLS, DNS, or no answer in time.</summary>
    public static bool IsConnectionFailure(AttemptResult result) =>
        result.StatusCode is null && result.Code is DeliveryCode.ConnectionError or DeliveryCode.Timeout;

    public BreakerState StateOf(string destination) =>
        _byDestination.TryGetValue(destination, out var breaker) ? breaker.State : BreakerState.Closed;

    /// <summary>When an open breaker's probe is due (null unless open).</summary>
    public DateTimeOffset? ProbeAt(string destination) =>
        _byDestination.TryGetValue(destination, out var breaker) && breaker.State == BreakerState.Open ? breaker.Until : null;

    /// <summary>How long before the probe deferred jobs come due again: half the cool-down, at most 5 s.</summary>
    public static TimeSpan Gather(TimeSpan coolDown) => TimeSpan.FromTicks(Math.Min(coolDown.Ticks / 2, TimeSpan.FromSeconds(5).Ticks));

    /// <summary>What a job ready to send to <paramref name="destination"/> at <paramref name="now"/> does; with <see cref="Admission.Defer"/>, until when.</summary>
    public (Admission Admission, DateTimeOffset Until) Admit(string destination, DateTimeOffset now)
    {
        if (!_byDestination.TryGetValue(destination, out var breaker) || breaker.State == BreakerState.Closed)
        {
            return (Admission.Send, now);
        }
        if (breaker.State == BreakerState.Open)
        {
            var back = breaker.Until - Gather(breaker.CoolDown);
            return now < back ? (Admission.Defer, back) : (Admission.Hold, now);
        }
        return (Admission.Hold, now);
    }

    /// <summary>The cool-down ended: the breaker waits for its probe. False when it is not open (closed meanwhile).</summary>
    public bool ProbeDue(string destination)
    {
        if (!_byDestination.TryGetValue(destination, out var breaker) || breaker.State != BreakerState.Open)
        {
            return false;
        }
        breaker.State = BreakerState.Probing;
        return true;
    }

    /// <summary>The probe started: no other send goes until its answer.</summary>
    public void ProbeStarted(string destination)
    {
        if (_byDestination.TryGetValue(destination, out var breaker) && breaker.State == BreakerState.Probing)
        {
            breaker.ProbeInFlight = true;
        }
    }

    /// <summary>Whether the breaker waits for a probe that has not started yet: the next send to go is its probe.</summary>
    public bool AwaitsProbe(string destination) =>
        _byDestination.TryGetValue(destination, out var breaker) && breaker.State == BreakerState.Probing && !breaker.ProbeInFlight;

    /// <summary>
    /// A send ended. Answers what changed: <see cref="Change.Opened"/> (its cool-down is then <see cref="ProbeAt"/> away),
    /// <see cref="Change.Closed"/>, or <see cref="Change.None"/>. A probe that ended without an answer (its node
    /// stopping) leaves the breaker waiting for another probe.
    /// </summary>
    public Change Ended(string destination, bool probe, bool? connectionFailed, DateTimeOffset now)
    {
        _byDestination.TryGetValue(destination, out var breaker);
        if (connectionFailed is null)
        {
            if (probe && breaker is { State: BreakerState.Probing })
            {
                breaker.ProbeInFlight = false;
            }
            return Change.None;
        }
        if (connectionFailed == false)
        {
            if (breaker is null)
            {
                return Change.None;
            }
            var wasOpen = breaker.State != BreakerState.Closed;
            _byDestination.Remove(destination);
            return wasOpen ? Change.Closed : Change.None;
        }
        if (breaker is null)
        {
            if (_byDestination.Count >= options.MaxTracked)
            {
                Forget();
            }
            breaker = _byDestination[destination] = new Breaker();
        }
        switch (breaker.State)
        {
            case BreakerState.Closed when ++breaker.Failures >= options.Failures:
                OpenFor(breaker, options.CoolDown, now);
                return Change.Opened;
            case BreakerState.Probing when probe:
                var doubled = breaker.CoolDown * 2;
                OpenFor(breaker, doubled > options.MaxCoolDown ? options.MaxCoolDown : doubled, now);
                return Change.Opened;
            default:
                // A send that started before the breaker opened, failing as its fellows did: nothing new.
                return Change.None;
        }
    }

    /// <summary>
    /// Keeps the breakers within <see cref="BreakerOptions.MaxTracked"/> whatever the number of failing destinations (an
    /// organization may point its configs at new ones without end): the closed ones' counts start over, and a breaker
    /// whose cool-down ended with no send to its destination since (its probe never came: the destination's events
    /// ended, or its configs changed) is forgotten; the next send there goes as to any new destination. Open breakers
    /// stay: each ends within <see cref="BreakerOptions.MaxCoolDown"/>.
    /// </summary>
    private void Forget()
    {
        var idle = _byDestination.Where(b => b.Value.State == BreakerState.Closed || b.Value is { State: BreakerState.Probing, ProbeInFlight: false });
        foreach (var (destination, breaker) in idle.ToList())
        {
            _byDestination.Remove(destination);
            if (breaker.State == BreakerState.Probing)
            {
                _forgotten.Add(destination);
            }
        }
    }

    /// <summary>The destinations whose breaker was forgotten while it awaited its probe, since the last call: their lines are paused no more.</summary>
    public string[] TakeForgotten()
    {
        if (_forgotten.Count == 0)
        {
            // Every send's end asks: an empty array is the one shared instance.
            return [];
        }
        var taken = _forgotten.ToArray();
        _forgotten.Clear();
        return taken;
    }

    /// <summary>How many destinations have a breaker on this node (closed ones with failures counted included).</summary>
    public int Tracked => _byDestination.Count;

    private void OpenFor(Breaker breaker, TimeSpan coolDown, DateTimeOffset now)
    {
        breaker.State = BreakerState.Open;
        breaker.CoolDown = coolDown;
        breaker.Until = now + coolDown;
        breaker.ProbeInFlight = false;
        Opened++;
    }

    /// <summary>What a send's end changed.</summary>
    public enum Change
    {
        None,
        Opened,
        Closed,
    }

    private sealed class Breaker
    {
        public BreakerState State;
        public int Failures;
        public TimeSpan CoolDown;
        public DateTimeOffset Until;
        public bool ProbeInFlight;
    }
}

/// <summary>A destination's breaker on this node.</summary>
public enum BreakerState
{
    Closed,
    Open,
    Probing,
}
