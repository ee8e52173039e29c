using Herald.Server.Events;

namespace Herald.Server.Tests.Events;

/// <summary>The one mapping between event statuses and the strings the contract and both stores use.</summary>
public sealed class EventStatusTests
{
    [Theory]
    [InlineData(EventStatus.InProgress, "in_progress")]
    [InlineData(EventStatus.Succeeded, "succeeded")]
    [InlineData(EventStatus.Failed, "failed")]
    [InlineData(EventStatus.Skipped, "skipped")]
    public void Each_status_is_spelled_as_the_contract_spells_it_and_reads_back(EventStatus status, string contract)
    {
        Assert.Equal(contract, status.ToContract());
        Assert.True(EventStatuses.TryParse(contract, out var parsed));
        Assert.Equal(status, parsed);
        Assert.Equal(status, EventStatuses.FromStore(contract));
    }

    [Fact]
    public void Every_status_round_trips()
    {
        foreach (var status in Enum.GetValues<EventStatus>())
        {
            Assert.True(EventStatuses.TryParse(status.ToContract(), out var parsed), status.ToString());
            Assert.Equal(status, parsed);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("InProgress")]
    [InlineData("Succeeded")]
    [InlineData("SUCCEEDED")]
    [InlineData("succeeded ")]
    [InlineData("pending")]
    [InlineData("0")]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(EventStatuses.TryParse(text, out _));
    }

    [Fact]
    public void An_unknown_stored_status_is_a_corrupt_row_that_names_the_value()
    {
        var error = Assert.Throws<InvalidDataException>(() => EventStatuses.FromStore("done"));
        Assert.Contains("'done'", error.Message);
    }
}
