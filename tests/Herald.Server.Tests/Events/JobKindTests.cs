using Herald.Server.Events;

namespace Herald.Server.Tests.Events;

/// <summary>The one mapping between job kinds and the strings both stores keep and the event history lists.</summary>
public sealed class JobKindTests
{
    [Theory]
    [InlineData(JobKind.Deliver, "deliver")]
    [InlineData(JobKind.Replay, "replay")]
    public void Each_kind_is_spelled_as_stored_and_reads_back(JobKind kind, string text)
    {
        Assert.Equal(text, kind.ToContract());
        Assert.True(JobKinds.TryParse(text, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.Equal(kind, JobKinds.FromStore(text));
    }

    [Fact]
    public void Every_kind_round_trips()
    {
        foreach (var kind in Enum.GetValues<JobKind>())
        {
            Assert.True(JobKinds.TryParse(kind.ToContract(), out var parsed), kind.ToString());
            Assert.Equal(kind, parsed);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Deliver")]
    [InlineData("REPLAY")]
    [InlineData("retry")]
    [InlineData("1")]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(JobKinds.TryParse(text, out _));
        Assert.Throws<InvalidDataException>(() => JobKinds.FromStore(text ?? "null"));
    }
}
