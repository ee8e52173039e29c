using Herald.Server.Delivery;
using Herald.Server.Egress;
using Herald.Server.Http;

namespace Herald.Server.Tests.Delivery;

/// <summary>Which waiting send starts next: organizations in turn, then their destinations, first in first out within one.</summary>
public sealed class SendQueueTests
{
    private long _order;

    private SendWaiter Wait(SendQueue queue, string org, string destination, long? order = null)
    {
        var waiter = new SendWaiter(new OrganizationId(org), destination, order ?? ++_order);
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
    public void A_paused_destination_starts_nothing_and_holds_no_one_back_until_one_is_allowed_and_it_resumes()
    {
        var queue = new SendQueue(total: 4, perOrganization: 4, perDestination: 1);
        queue.Pause("down");
        var d1 = Wait(queue, "a", "down");
        var d2 = Wait(queue, "a", "down");
        var u1 = Wait(queue, "a", "up");
        var u2 = Wait(queue, "a", "up");

        // "up" is beyond its share once it sends, but the paused line waits within none: "up" borrows the free slots.
        Assert.Same(u1, queue.Next());
        Assert.Same(u2, queue.Next());
        Assert.Null(queue.Next());
        Assert.True(queue.IsBlocked("down"));

        queue.AllowOne("down");
        Assert.Same(d1, queue.Next());
        Assert.Null(queue.Next());

        queue.Resume("down");
        queue.Done(d1.OrgId, d1.Destination);
        Assert.Same(d2, queue.Next());
        Assert.Empty(queue.RemoveAll("down"));
    }

    [Fact]
    public void Every_waiter_to_a_destination_can_be_taken_out_of_line_at_once()
    {
        var queue = new SendQueue(total: 1, perOrganization: 1, perDestination: 1);
        queue.Pause("down");
        var a = Wait(queue, "a", "down");
        var b = Wait(queue, "b", "down");
        var other = Wait(queue, "a", "up");

        Assert.Equal([a, b], queue.RemoveAll("down").OrderBy(w => w.Order));
        Assert.Equal(1, queue.Waiting);
        Assert.Same(other, queue.Next());
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
    public void A_destination_alone_uses_every_slot_and_beyond_its_share_waits_while_another_destination_waits()
    {
        var queue = new SendQueue(total: 10, perOrganization: 10, perDestination: 2);
        var x = Enumerable.Range(0, 4).Select(_ => Wait(queue, "a", "x")).ToList();
        var otherOrgToX = Wait(queue, "b", "x");
        var z = Wait(queue, "a", "z");

        // While z waits, x gets its share (every organization's sends to it count) and no more; then it borrows.
        Assert.Equal([x[0], otherOrgToX, z, x[1], x[2], x[3]], StartAll(queue));
        Assert.Equal(5, queue.InFlightTo("x"));

        // Beyond its share x waits while a destination below its own waits, of any organization.
        var more = Wait(queue, "a", "x");
        var y = Wait(queue, "b", "y");
        Assert.Equal([y, more], StartAll(queue));
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public void A_new_destination_starts_its_share_at_once_beside_one_that_borrowed_every_slot()
    {
        // The defaults: 32 slots, half of them each organization's and each destination's share.
        var queue = new SendQueue(total: 32, perOrganization: 16, perDestination: 16);
        var hanging = Enumerable.Range(0, 40).Select(_ => Wait(queue, "a", "never-answers")).ToList();
        Assert.Equal(hanging.Take(32), StartAll(queue));

        // A receiver of the same organization starts within its share although the node is full.
        var healthy = Enumerable.Range(0, 20).Select(_ => Wait(queue, "a", "healthy")).ToList();
        Assert.Equal(healthy.Take(16), StartAll(queue));
        Assert.Equal(48, queue.InFlight);

        // It keeps its share as its sends end; the hanging one gets nothing while it waits.
        queue.Done(new OrganizationId("a"), "healthy");
        Assert.Equal([healthy[16]], StartAll(queue));
        for (var i = 0; i < 16; i++)
        {
            queue.Done(new OrganizationId("a"), "never-answers");
        }
        Assert.Empty(StartAll(queue));
        Assert.Equal(16, queue.InFlightTo("never-answers"));
    }

    [Fact]
    public void Newcomers_overtake_borrowers_but_the_node_never_has_more_than_twice_its_slots_in_flight()
    {
        var queue = new SendQueue(total: 4, perOrganization: 1, perDestination: 1);
        Enumerable.Range(0, 6).ToList().ForEach(_ => Wait(queue, "a", "x"));
        Assert.Equal(4, StartAll(queue).Count);
        // Destination newcomers of the same organization, then an organization newcomer, each beyond the node's slots.
        foreach (var (org, destination) in new[] { ("a", "y"), ("a", "z"), ("a", "w"), ("b", "v") })
        {
            var newcomer = Wait(queue, org, destination);
            Assert.Equal([newcomer], StartAll(queue));
        }
        Assert.Equal(8, queue.Bound);
        Assert.Equal(queue.Bound, queue.InFlight);

        // Another organization newcomer is within its share, but the bound holds: it starts once a send ends.
        var last = Wait(queue, "c", "u");
        Assert.Empty(StartAll(queue));
        queue.Done(new OrganizationId("a"), "x");
        Assert.Equal([last], StartAll(queue));
        Assert.Equal(queue.Bound, queue.InFlight);
        Assert.Equal(2, queue.Waiting);
    }

    [Fact]
    public void An_organization_let_through_starts_one_send_at_a_time_beyond_the_bounds_until_no_one_of_it_waits()
    {
        var queue = new SendQueue(total: 2, perOrganization: 1, perDestination: 1);
        // a borrows both slots while alone, b overtakes within its share: every share is in use.
        Wait(queue, "a", "x");
        Wait(queue, "a", "x");
        Assert.Equal(2, StartAll(queue).Count);
        Wait(queue, "b", "y");
        Assert.Single(StartAll(queue));
        var first = Wait(queue, "c", "z");
        var second = Wait(queue, "c", "w");
        Assert.Empty(StartAll(queue));
        var c = new OrganizationId("c");
        Assert.True(queue.WaitsWithNoneInFlight(c));
        Assert.False(queue.WaitsWithNoneInFlight(new OrganizationId("a")));

        queue.LetThrough(c);
        Assert.Equal([first], StartAll(queue));
        Assert.False(queue.WaitsWithNoneInFlight(c));
        Assert.Equal(4, queue.InFlight);
        // One at a time: its next starts when its send ends, though the node is as full as before.
        queue.Done(c, "z");
        Assert.Equal([second], StartAll(queue));
        queue.Done(c, "w");

        // With no one of it left waiting it is no longer let through: a newcomer of it waits again.
        var later = Wait(queue, "c", "v");
        Assert.Empty(StartAll(queue));
        Assert.True(queue.WaitsWithNoneInFlight(c));
        Assert.Equal(1, queue.Waiting);
        Assert.False(queue.Remove(first));
        Assert.True(queue.Remove(later));
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
        queue.Done(new OrganizationId("a"), "x");
        while (queue.Next() is { } next)
        {
            order.Add(next);
            queue.Done(new OrganizationId("a"), "x");
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
        queue.Done(new OrganizationId("a"), "x0");
        Assert.Empty(StartAll(queue));
        queue.Done(new OrganizationId("a"), "x1");
        Assert.Empty(StartAll(queue));
        queue.Done(new OrganizationId("a"), "x2");
        Assert.Equal([a[4]], StartAll(queue));
        queue.Done(new OrganizationId("b"), "y0");
        Assert.Equal([b[2]], StartAll(queue));

        // While b waits, a does not borrow the slot b frees; once b has nothing waiting, it does.
        var more = Wait(queue, "b", "y3");
        queue.Done(new OrganizationId("b"), "y1");
        Assert.Equal([more], StartAll(queue));
        Assert.Equal(2, queue.InFlightOf(new OrganizationId("a")));
        queue.Done(new OrganizationId("b"), "y2");
        Assert.Equal([a[5]], StartAll(queue));
        Assert.Equal(3, queue.InFlightOf(new OrganizationId("a")));
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
        Assert.Equal(3, queue.InFlightOf(new OrganizationId("a")));

        // b's waiter is held back by its destination, not by a: a may keep the slot it borrowed.
        Assert.Equal(1, queue.Waiting);
        queue.Done(new OrganizationId("b"), "w");
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
        queue.Done(new OrganizationId("a"), "x");
        Assert.Equal([last], StartAll(queue));
        queue.Done(new OrganizationId("b"), "y");
        Assert.Empty(StartAll(queue));
        Assert.Equal(0, queue.Waiting);
    }

    /// <summary>
    /// Random arrivals, departures, ends of sends and organizations let through against small bounds: at each start, an
    /// organization or a destination beyond its share goes ahead of no one waiting within theirs, and the node stays
    /// within its bound but for one send of each organization let through;
    /// each destination's waiters start in their order; nothing that the rules let start is left waiting; and once
    /// the sends in flight end, every waiter has started.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 2, 2)]
    [InlineData(4, 2, 4)]
    [InlineData(6, 3, 2)]
    [InlineData(5, 5, 3)]
    [InlineData(4, 1, 1)]
    [InlineData(8, 4, 4)]
    [InlineData(3, 2, 9)]
    public void Every_sequence_keeps_the_bounds_and_the_order(int total, int perOrganization, int perDestination)
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var state = new Model(new SendQueue(total, perOrganization, perDestination), total, Math.Min(perOrganization, total), Math.Min(perDestination, total));
            for (var step = 0; step < 200; step++)
            {
                var roll = random.Next(10);
                if (roll < 5)
                {
                    state.Waiting.Add(Wait(state.Queue, $"o{random.Next(3)}", $"d{random.Next(4)}"));
                }
                else if (roll < 6 && state.Waiting.Count > 0)
                {
                    var leaving = state.Waiting[random.Next(state.Waiting.Count)];
                    Assert.True(state.Queue.Remove(leaving));
                    state.Waiting.Remove(leaving);
                }
                else if (roll < 7)
                {
                    state.LetThrough(new OrganizationId($"o{random.Next(3)}"));
                }
                else if (state.InFlight.Count > 0)
                {
                    state.End(state.InFlight[random.Next(state.InFlight.Count)]);
                }
                state.StartAll();
            }
            while (state.InFlight.Count > 0)
            {
                state.End(state.InFlight[random.Next(state.InFlight.Count)]);
                state.StartAll();
            }
            Assert.Empty(state.Waiting);
            Assert.Equal(0, state.Queue.Waiting);
        }
    }
}
