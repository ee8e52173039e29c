using Herald.Server.Delivery;
using Herald.Server.Egress;
using Herald.Server.Events;

namespace Herald.Server.Tests.Delivery;

public sealed class DeliveryOutcomeTests
{
    public static TheoryData<int, bool> Statuses => new()
    {
        { 200, false }, { 204, false }, { 301, false }, { 302, false }, { 304, false }, { 400, false }, { 401, false }, { 403, false },
        { 404, false }, { 408, true }, { 409, false }, { 410, false }, { 422, false }, { 429, true }, { 500, true }, { 502, true },
        { 503, true }, { 504, true }, { 599, true },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Only_5xx_429_and_408_are_retryable_statuses(int status, bool retryable)
    {
        Assert.Equal(retryable, AttemptResult.IsRetryableStatus(status));
    }

    [Theory]
    [InlineData(200, Verdict.Succeeded)]
    [InlineData(299, Verdict.Succeeded)]
    [InlineData(302, Verdict.Failed)]
    [InlineData(404, Verdict.Failed)]
    [InlineData(500, Verdict.Retry)]
    [InlineData(429, Verdict.Retry)]
    public void A_status_decides_between_success_retry_and_failure(int status, Verdict expected)
    {
        var result = AttemptResult.FromStatus(status, null, null, null, null);

        Assert.Equal(expected, DeliveryOutcome.Decide(result, automaticRetries: true, retryEnabled: true, maxAttempts: 3, retriesMade: 0));
    }

    [Fact]
    public void Failures_without_a_status_follow_their_retryability()
    {
        var timeout = AttemptResult.Failure(DeliveryCode.Timeout, "slow", retryable: true);
        var blocked = AttemptResult.Failure(DeliveryCode.DestinationBlocked, "no", retryable: false);

        Assert.Equal(Verdict.Retry, DeliveryOutcome.Decide(timeout, true, true, 3, 0));
        Assert.Equal(Verdict.Failed, DeliveryOutcome.Decide(blocked, true, true, 3, 0));
    }

    [Fact]
    public void Replays_and_exhausted_policies_never_retry()
    {
        var error = AttemptResult.FromStatus(503, null, null, null, null);

        Assert.Equal(Verdict.Failed, DeliveryOutcome.Decide(error, automaticRetries: false, retryEnabled: true, maxAttempts: 5, retriesMade: 0));
        Assert.Equal(Verdict.Failed, DeliveryOutcome.Decide(error, automaticRetries: true, retryEnabled: true, maxAttempts: 2, retriesMade: 2));
        Assert.Equal(Verdict.Failed, DeliveryOutcome.Decide(error, automaticRetries: true, retryEnabled: false, maxAttempts: 5, retriesMade: 0));
    }
}
