using Herald.Server.Egress;

namespace Herald.Server.Delivery;

public enum Verdict
{
    Succeeded,
    Retry,
    Failed,
}

/// <summary>The delivery decision after an attempt: done, retry later, or give up.</summary>
public static class DeliveryOutcome
{
    public static Verdict Decide(AttemptResult result, bool automaticRetries, bool retryEnabled, int maxAttempts, int retriesMade)
    {
        if (result.Succeeded)
        {
            return Verdict.Succeeded;
        }
        return automaticRetries && result.Retryable && RetrySchedule.MayRetry(retryEnabled, maxAttempts, retriesMade)
            ? Verdict.Retry
            : Verdict.Failed;
    }
}
