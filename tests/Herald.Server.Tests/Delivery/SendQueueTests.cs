using Herald.Server.Delivery;
using Herald.Server.Egress;

namespace Herald.Server.Tests.Delivery;

/// <summary>Which waiting send starts next: organizations in turn, then their destinations, first in first out within one.</summary>
public sealed class SendQueueTests
{
    private long _order;

    private SendWaiter Wait(SendQueue queue, string org, string destination, long? order = null)
    {
        var waiter = new SendWaiter(org, destination, order ?? ++_order);
        queue.Enqueue(waiter);
        return waiter;
    }

    private static List<SendWaiter> StartAll(SendQueue queue)
    {
        var started = new List<SendWaiter>();
        while (queue.Next() is { } next)
        {
            started.Add(next);
        }
        return started;
    }

    [Fact]
    public void Organizations_take_turns_then_their_destinations()
    {
        var queue = new SendQueue(total: 1, perOrganization: 1, perDestination: 1);
        var a1 = Wait(queue, "a", "x");
        var a2 = Wait(queue, "a", "x");
        var a3 = Wait(queue, "a", "y");
        var b1 = Wait(queue, "b", "z");
        var b2 = Wait(queue, "b", "z");

        var order = new List<SendWaiter>();
        while (queue.Next() is { } next)
        {
            Assert.Null(queue.Next());
            order.Add(next);
            queue.Done(next.OrgId, next.Destination);
        }

        Assert.Equal([a1, b1, a3, b2, a2], order);
        Assert.Equal(0, queue.InFlight);
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public void A_destination_never_has_more_than_its_limit_in_flight_however_idle_the_node()
    {
        var queue = new SendQueue(total: 10, perOrganization: 10, perDestination: 2);
        var x = Enumerable.Range(0, 4).Select(_ => Wait(queue, "a", "x")).ToList();
        var otherOrgToX = Wait(queue, "b", "x");
        var z = Wait(queue, "a", "z");

        // The destination's limit counts every organization's sends to it.
        Assert.Equal([x[0], otherOrgToX, z], StartAll(queue));
        Assert.Equal(2, queue.InFlightTo("x"));

        queue.Done("b", "x");
        Assert.Equal([x[1]], StartAll(queue));
        queue.Done("a", "z");
        Assert.Empty(StartAll(queue));
        Assert.Equal(2, queue.Waiting);
    }

    [Fact]
    public void Waiters_to_one_destination_start_in_the_order_they_reached_the_node()
    {
        var queue = new SendQueue(total: 1, perOrganization: 1, perDestination: 1);
        var first = Wait(queue, "a", "x", order: 1);
        Assert.Equal([first], StartAll(queue));
        // Prepared out of order: the job that arrived third is ready before the second.
        var third = Wait(queue, "a", "x", order: 3);
        var second = Wait(queue, "a", "x", order: 2);
        var fourth = Wait(queue, "a", "x", order: 4);

        var order = new List<SendWaiter>();
        queue.Done("a", "x");
        while (queue.Next() is { } next)
        {
            order.Add(next);
            queue.Done("a", "x");
        }

        Assert.Equal([second, third, fourth], order);
    }

    [Fact]
    public void An_organization_alone_uses_every_slot_and_one_arriving_later_starts_at_once()
    {
        var queue = new SendQueue(total: 4, perOrganization: 2, perDestination: 10);
        var a = Enumerable.Range(0, 6).Select(i => Wait(queue, "a", $"x{i}")).ToList();
        Assert.Equal(a.Take(4), StartAll(queue));

        // The slots a borrowed cannot be taken back; b's share starts beside them.
        var b = Enumerable.Range(0, 3).Select(i => Wait(queue, "b", $"y{i}")).ToList();
        Assert.Equal(b.Take(2), StartAll(queue));
        Assert.Equal(6, queue.InFlight);

        // The node is over its bound until the borrowed slots are back; then a starts again within its share.
        queue.Done("a", "x0");
        Assert.Empty(StartAll(queue));
        queue.Done("a", "x1");
        Assert.Empty(StartAll(queue));
        queue.Done("a", "x2");
        Assert.Equal([a[4]], StartAll(queue));
        queue.Done("b", "y0");
        Assert.Equal([b[2]], StartAll(queue));

        // While b waits, a does not borrow the slot b frees; once b has nothing waiting, it does.
        var more = Wait(queue, "b", "y3");
        queue.Done("b", "y1");
        Assert.Equal([more], StartAll(queue));
        Assert.Equal(2, queue.InFlightOf("a"));
        queue.Done("b", "y2");
        Assert.Equal([a[5]], StartAll(queue));
        Assert.Equal(3, queue.InFlightOf("a"));
    }

    [Fact]
    public void An_organization_borrows_beyond_its_share_only_while_no_other_could_start()
    {
        var queue = new SendQueue(total: 4, perOrganization: 2, perDestination: 1);
        Wait(queue, "a", "x");
        Wait(queue, "a", "y");
        Wait(queue, "a", "z");
        Wait(queue, "b", "w");
        var blocked = Wait(queue, "b", "w");
        Assert.Equal(4, StartAll(queue).Count);
        Assert.Equal(3, queue.InFlightOf("a"));

        // b's waiter is held back by its destination, not by a: a may keep the slot it borrowed.
        Assert.Equal(1, queue.Waiting);
        queue.Done("b", "w");
        Assert.Equal([blocked], StartAll(queue));
    }

    [Fact]
    public void A_waiter_taken_out_of_line_never_starts()
    {
        var queue = new SendQueue(total: 1, perOrganization: 1, perDestination: 1);
        var first = Wait(queue, "a", "x");
        var gone = Wait(queue, "a", "x");
        var last = Wait(queue, "b", "y");
        Assert.Equal([first], StartAll(queue));

        Assert.True(queue.Remove(gone));
        Assert.False(queue.Remove(gone));
        Assert.False(queue.Remove(first));
        queue.Done("a", "x");
        Assert.Equal([last], StartAll(queue));
        queue.Done("b", "y");
        Assert.Empty(StartAll(queue));
        Assert.Equal(0, queue.Waiting);
    }

    /// <summary>
    /// Random arrivals, departures and ends of sends against small bounds: the bounds always hold, each destination's
    /// waiters start in their order, and no waiter is left waiting when a rule would let it start.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 2, 2)]
    [InlineData(4, 2, 4)]
    [InlineData(6, 3, 2)]
    [InlineData(5, 5, 3)]
    public void Every_sequence_keeps_the_bounds_and_the_order(int total, int perOrganization, int perDestination)
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var queue = new SendQueue(total, perOrganization, perDestination);
            var waiting = new List<SendWaiter>();
            var inFlight = new List<SendWaiter>();
            var lastStarted = new Dictionary<(string, string), long>();
            for (var step = 0; step < 200; step++)
            {
                var roll = random.Next(10);
                if (roll < 5)
                {
                    waiting.Add(Wait(queue, $"o{random.Next(3)}", $"d{random.Next(3)}"));
                }
                else if (roll < 6 && waiting.Count > 0)
                {
                    var leaving = waiting[random.Next(waiting.Count)];
                    Assert.True(queue.Remove(leaving));
                    waiting.Remove(leaving);
                }
                else if (inFlight.Count > 0)
                {
                    var done = inFlight[random.Next(inFlight.Count)];
                    queue.Done(done.OrgId, done.Destination);
                    inFlight.Remove(done);
                }
                foreach (var started in StartAll(queue))
                {
                    Assert.True(waiting.Remove(started));
                    inFlight.Add(started);
                    var line = (started.OrgId, started.Destination);
                    Assert.True(lastStarted.GetValueOrDefault(line) < started.Order, "a destination's waiters start in their order");
                    lastStarted[line] = started.Order;
                }
                AssertSettled(queue, waiting, inFlight, total, Math.Min(perOrganization, total), perDestination);
            }
        }
    }

    private static void AssertSettled(SendQueue queue, List<SendWaiter> waiting, List<SendWaiter> inFlight, int total, int share, int perDestination)
    {
        Assert.Equal(inFlight.Count, queue.InFlight);
        Assert.Equal(waiting.Count, queue.Waiting);
        Assert.True(queue.InFlight <= 2 * total - share);
        var byDestination = inFlight.GroupBy(w => w.Destination).ToDictionary(g => g.Key, g => g.Count());
        var byOrg = inFlight.GroupBy(w => w.OrgId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(byDestination.Values, n => Assert.True(n <= perDestination));
        var inShare = byOrg.Values.Sum(n => Math.Min(n, share));
        Assert.True(inShare <= total);
        bool Startable(SendWaiter w) => byDestination.GetValueOrDefault(w.Destination) < perDestination;
        foreach (var waiter in waiting.Where(Startable))
        {
            // Nothing that may start is left waiting: within its share the node's shares are all taken; beyond it, the
            // node is full or another organization within its share could start.
            var held = byOrg.GetValueOrDefault(waiter.OrgId);
            Assert.True(held < share
                ? inShare >= total
                : queue.InFlight >= total || waiting.Any(w => w.OrgId != waiter.OrgId && byOrg.GetValueOrDefault(w.OrgId) < share && Startable(w)),
                $"{waiter.OrgId} to {waiter.Destination} was left waiting");
        }
    }
}
