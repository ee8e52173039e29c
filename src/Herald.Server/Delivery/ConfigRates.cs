using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// The pure booking of each rate-limited config's sends on this node (<c>rateLimit</c>, sends per second): sends start
/// at least <c>1 / rateLimit</c> s apart, so no second holds more than <c>rateLimit</c> of them. A job booked within
/// <see cref="Horizon"/> waits on the node (holding no worker slot, its lease renewed); a job whose turn is further off
/// goes back to the queue, due at a turn of its own after the booked ones and the jobs deferred before it, so a burst
/// spreads over the queue instead of filling the node. Never fails a job, only delays it. No clock, no locks (the
/// <see cref="DeliveryScheduler"/> holds its lock around every call).
/// </summary>
public sealed class ConfigRates
{
    /// <summary>The longest a job waits on the node for its config's rate; beyond it, it waits in the queue.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(1);

    /// <summary>Past this many configs, those whose bookings are all in the past are forgotten.</summary>
    private const int SweepAbove = 1024;

    private readonly Dictionary<(OrganizationId OrgId, ConfigId ConfigId), Booking> _bookings = [];

    /// <summary>Configs with a booking on this node (for tests).</summary>
    public int Count => _bookings.Count;

    /// <summary>
    /// Books the next send of the config: how long to wait for it, or, when that is beyond <see cref="Horizon"/>, when the
    /// job is due again in the queue (then nothing is booked).
    /// </summary>
    public (TimeSpan Wait, DateTimeOffset? DeferUntil) Book(OrganizationId orgId, ConfigId configId, int rateLimit, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rateLimit, 1);
        if (_bookings.Count > SweepAbove)
        {
            Sweep(now);
        }
        var interval = TimeSpan.FromTicks(Math.Max(1, TimeSpan.TicksPerSecond / rateLimit));
        if (!_bookings.TryGetValue((orgId, configId), out var booking))
        {
            booking = new Booking { Next = now, DeferredUntil = now };
            _bookings[(orgId, configId)] = booking;
        }
        var start = booking.Next > now ? booking.Next : now;
        if (start - now <= Horizon)
        {
            booking.Next = start + interval;
            return (start - now, null);
        }
        var due = booking.DeferredUntil > start ? booking.DeferredUntil : start;
        booking.DeferredUntil = due + interval;
        return (TimeSpan.Zero, due);
    }

    /// <summary>
    /// The booked send is about to start: zero when it may (its start is recorded), else how much longer it must wait
    /// so that it starts at least <c>1 / rateLimit</c> s after the config's last start. Bookings space the sends out;
    /// this holds the spacing when timers fire late and bring booked sends together.
    /// </summary>
    public TimeSpan Start(OrganizationId orgId, ConfigId configId, int rateLimit, DateTimeOffset now)
    {
        if (!_bookings.TryGetValue((orgId, configId), out var booking))
        {
            return TimeSpan.Zero;
        }
        var earliest = booking.LastStart + TimeSpan.FromTicks(Math.Max(1, TimeSpan.TicksPerSecond / rateLimit));
        if (booking.Started && now < earliest)
        {
            return earliest - now;
        }
        (booking.Started, booking.LastStart) = (true, now);
        return TimeSpan.Zero;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var key in _bookings.Where(b => b.Value.Next < now && b.Value.DeferredUntil < now && b.Value.LastStart < now - Horizon).Select(b => b.Key).ToList())
        {
            _bookings.Remove(key);
        }
    }

    private sealed class Booking
    {
        public DateTimeOffset Next;
        public DateTimeOffset DeferredUntil;
        public DateTimeOffset LastStart;
        public bool Started;
    }
}
