namespace Herald.Webhooks.Verification;

/// <summary>
/// A delivery failed verification. Catch this type to refuse every unverified request alike; the subtypes say why:
/// <see cref="WebhookHeaderException"/>, <see cref="WebhookTimestampException"/> and
/// <see cref="WebhookSignatureMismatchException"/>. Messages name the header or setting involved, never a key or an
/// expected signature.
/// </summary>
public class WebhookVerificationException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public WebhookVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the error that caused it.</summary>
    public WebhookVerificationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>One of <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> is missing, empty or malformed.</summary>
public sealed class WebhookHeaderException : WebhookVerificationException
{
    /// <summary>Creates the exception for the header <paramref name="headerName"/>.</summary>
    public WebhookHeaderException(string headerName, string message)
        : base(message) => HeaderName = headerName;

    /// <summary>The header at fault, e.g. <c>webhook-timestamp</c>.</summary>
    public string HeaderName { get; }
}

/// <summary>
/// <c>webhook-timestamp</c> lies further from the verifier's clock than the tolerance allows
/// (<see cref="HeraldWebhookOptions.Tolerance"/>): a replayed old request, or a clock far off. See
/// <see cref="WebhookTimestampExpiredException"/> and <see cref="WebhookTimestampInFutureException"/>.
/// </summary>
public abstract class WebhookTimestampException : WebhookVerificationException
{
    /// <summary>Creates the exception.</summary>
    protected WebhookTimestampException(string message, DateTimeOffset timestamp, DateTimeOffset now, TimeSpan tolerance)
        : base(message)
    {
        Timestamp = timestamp;
        Now = now;
        Tolerance = tolerance;
    }

    /// <summary>The time the request's <c>webhook-timestamp</c> names.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The verifier's clock when it checked.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The tolerance in force.</summary>
    public TimeSpan Tolerance { get; }
}

/// <summary><c>webhook-timestamp</c> is older than the tolerance allows.</summary>
public sealed class WebhookTimestampExpiredException : WebhookTimestampException
{
    /// <summary>Creates the exception.</summary>
    public WebhookTimestampExpiredException(DateTimeOffset timestamp, DateTimeOffset now, TimeSpan tolerance)
        : base($"webhook-timestamp {timestamp.ToUnixTimeSeconds()} is {(now - timestamp).TotalSeconds:0} s old, more than the tolerance of {tolerance.TotalSeconds:0} s (HeraldWebhookOptions.Tolerance)", timestamp, now, tolerance)
    {
    }
}

/// <summary><c>webhook-timestamp</c> lies further in the future than the tolerance allows.</summary>
public sealed class WebhookTimestampInFutureException : WebhookTimestampException
{
    /// <summary>Creates the exception.</summary>
    public WebhookTimestampInFutureException(DateTimeOffset timestamp, DateTimeOffset now, TimeSpan tolerance)
        : base($"webhook-timestamp {timestamp.ToUnixTimeSeconds()} is {(timestamp - now).TotalSeconds:0} s in the future, more than the tolerance of {tolerance.TotalSeconds:0} s (HeraldWebhookOptions.Tolerance)", timestamp, now, tolerance)
    {
    }
}

/// <summary>
/// No entry of <c>webhook-signature</c> verifies with any configured secret or public key: the body, id or timestamp
/// was changed, or the request was signed with a key this verifier does not trust.
/// </summary>
public sealed class WebhookSignatureMismatchException : WebhookVerificationException
{
    /// <summary>Creates the exception.</summary>
    public WebhookSignatureMismatchException(string message)
        : base(message)
    {
    }
}
