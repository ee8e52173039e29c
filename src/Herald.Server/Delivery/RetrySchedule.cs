namespace Herald.Server.Delivery;

/// <summary>
/// When the next automatic retry is due (wire-format section 7): the fixed Standard Webhooks schedule 5 s, 5 min,
/// 30 min, 2 h, 5 h, each with +/-10% jitter; a longer <c>Retry-After</c> is honoured up to 5 h.
/// </summary>
public static class RetrySchedule
{
    public static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
    ];

    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(5);

    public const double Jitter = 0.10;

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1-based). <paramref name="unit"/> is a random number
    /// in [0, 1) that picks the jitter, so the function stays pure.
    /// </summary>
    public static TimeSpan DelayBefore(int retry, double unit, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var scheduled = Delays[Math.Min(retry, Delays.Length) - 1];
        var jittered = scheduled * (1 + Jitter * (2 * unit - 1));
        if (retryAfter is { } asked && asked > jittered)
        {
            return asked < MaxDelay ? asked : MaxDelay;
        }
        return jittered;
    }

    /// <summary>Whether another automatic retry may follow <paramref name="retriesMade"/> retries under the policy.</summary>
    public static bool MayRetry(bool enabled, int maxAttempts, int retriesMade) =>
        enabled && retriesMade < Math.Clamp(maxAttempts, 0, Delays.Length);
}
