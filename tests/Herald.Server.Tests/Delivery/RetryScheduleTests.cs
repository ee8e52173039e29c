using Herald.Server.Delivery;

namespace Herald.Server.Tests.Delivery;

public sealed class RetryScheduleTests
{
    public static TheoryData<int, double> Schedule => new()
    {
        { 1, 5 }, { 2, 300 }, { 3, 1800 }, { 4, 7200 }, { 5, 18000 },
    };

    [Theory]
    [MemberData(nameof(Schedule))]
    public void Each_retry_waits_its_scheduled_delay_within_ten_percent(int retry, double seconds)
    {
        Assert.Equal(seconds * 0.9, RetrySchedule.DelayBefore(retry, 0.0).TotalSeconds, 6);
        Assert.Equal(seconds, RetrySchedule.DelayBefore(retry, 0.5).TotalSeconds, 6);
        Assert.Equal(seconds * 1.1, RetrySchedule.DelayBefore(retry, 1.0).TotalSeconds, 6);
    }

    [Fact]
    public void A_longer_retry_after_wins_and_is_capped_at_five_hours()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), RetrySchedule.DelayBefore(1, 0.5, TimeSpan.FromMinutes(2)));
        Assert.Equal(TimeSpan.FromHours(5), RetrySchedule.DelayBefore(1, 0.5, TimeSpan.FromDays(2)));
    }

    [Fact]
    public void A_shorter_retry_after_does_not_shorten_the_schedule()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), RetrySchedule.DelayBefore(2, 0.5, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(true, 3, 0, true)]
    [InlineData(true, 3, 2, true)]
    [InlineData(true, 3, 3, false)]
    [InlineData(true, 5, 4, true)]
    [InlineData(true, 5, 5, false)]
    [InlineData(true, 9, 5, false)]
    [InlineData(false, 5, 0, false)]
    [InlineData(true, 1, 0, true)]
    [InlineData(true, 1, 1, false)]
    public void Retries_stop_at_max_attempts_and_never_run_when_disabled(bool enabled, int maxAttempts, int made, bool expected)
    {
        Assert.Equal(expected, RetrySchedule.MayRetry(enabled, maxAttempts, made));
    }
}
