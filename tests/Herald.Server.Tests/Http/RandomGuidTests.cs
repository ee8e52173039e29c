using Herald.Server.Http;

namespace Herald.Server.Tests.Http;

public class RandomGuidTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void A_version_4_id_carries_its_version_and_the_RFC_variant()
    {
        var id = RandomGuid.NewVersion4();
        Assert.Equal(4, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        Assert.Equal('4', id.ToString()[14]);
    }

    [Fact]
    public void A_version_7_id_starts_with_the_time_in_milliseconds_exactly_as_the_runtime_writes_it()
    {
        var ours = RandomGuid.NewVersion7(Time).ToString();
        var runtime = Guid.CreateVersion7(Time).ToString();
        // The first 48 bits (12 hex digits around the first dash) and the version digit agree; the rest is random.
        Assert.Equal(runtime[..13], ours[..13]);
        Assert.Equal(runtime[14], ours[14]);
        Assert.Equal(Time.ToUnixTimeMilliseconds(), Convert.ToInt64(ours[..8] + ours[9..13], 16));
        var id = Guid.Parse(ours);
        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
    }

    [Fact]
    public void Ids_are_distinct_and_version_7_ids_sort_by_their_time()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => RandomGuid.NewVersion4()).Concat(Enumerable.Range(0, 1000).Select(_ => RandomGuid.NewVersion7(Time))).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var later = Enumerable.Range(0, 50).Select(i => RandomGuid.NewVersion7(Time.AddMilliseconds(i)).ToString()).ToList();
        Assert.Equal(later, later.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_time_before_1970_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomGuid.NewVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
    }
}
