using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Tests.Events;

public sealed class EventIdTimeTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 23, 59, 59, 123, TimeSpan.Zero);

    [Fact]
    public void A_version_7_id_carries_the_time_it_was_made_from_to_the_millisecond()
    {
        Assert.Equal(At, EventIdTime.Of(RandomGuid.NewVersion7(At).ToString()));
        Assert.Equal(At, EventIdTime.Of(Guid.CreateVersion7(At).ToString()));
    }

    [Theory]
    [InlineData("ev-0000121")]
    [InlineData("")]
    [InlineData("0190b0a4-1c2e-4f3a-9d4c-5e6f7a8b9c0d")] // version 4
    public void Any_other_id_carries_no_time_and_gets_the_whole_range(string eventId)
    {
        Assert.Null(EventIdTime.Of(eventId));
        Assert.Equal((EventIdTime.Earliest, EventIdTime.Latest), EventIdTime.Window(eventId));
    }

    [Fact]
    public void A_window_of_several_ids_spans_them_with_a_day_either_side_unless_one_carries_no_time()
    {
        var ids = new[] { RandomGuid.NewVersion7(At).ToString(), RandomGuid.NewVersion7(At.AddDays(3)).ToString() };

        Assert.Equal((At.AddDays(-1), At.AddDays(4)), EventIdTime.Window(ids));
        Assert.Equal((EventIdTime.Earliest, EventIdTime.Latest), EventIdTime.Window([.. ids, "ev-1"]));
    }
}
