using Herald.Server.Http;

namespace Herald.Server.Idempotency;

/// <summary>An answer remembered under a key: final, or provisional while a sync trigger's first attempt runs.</summary>
public sealed record StoredAnswer(DateTimeOffset CreatedAt, int StatusCode, string Body, bool Completed);

/// <summary>
/// A request's claim on a key, carrying the answer to remember with it. <see cref="Scope"/> names the endpoint
/// (and config) the key belongs to, so the same key means different things on different endpoints.
/// </summary>
public sealed record IdempotencyClaim(OrganizationId OrgId, string Scope, string Key, DateTimeOffset CreatedAt, int StatusCode, string Body, bool Completed)
{
    /// <summary>Keys created at or before this instant have expired and may be claimed again.</summary>
    public DateTimeOffset ExpiredAtOrBefore => CreatedAt - IdempotencyRules.Retention;
}

/// <summary>What to do with a request whose key already has an answer.</summary>
public enum EarlierAnswer
{
    /// <summary>Answer with the remembered status and body.</summary>
    Replay,

    /// <summary>The first request is still running (a sync trigger's attempt): answer 409, the client retries later.</summary>
    InProgress,
}

/// <summary>
/// The idempotency rules. A key belongs to one organization and one scope; within <see cref="Retention"/> of its
/// first use it answers every repeat with the first answer and creates nothing; after that it is free again. Only
/// accepted requests are remembered: a refused one (4xx) leaves the key unused. Pure.
/// </summary>
public static class IdempotencyRules
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a provisional answer counts as in progress. A first request that has not finished by then has
    /// died (an attempt is bounded by its timeout), and its provisional answer (the event id) is replayed instead.
    /// </summary>
    public static readonly TimeSpan InFlight = TimeSpan.FromMinutes(5);

    public const string FanOutScope = "events";

    public static string TriggerScope(string configId) => "trigger:" + configId;

    public static bool IsExpired(StoredAnswer answer, DateTimeOffset now) => answer.CreatedAt <= now - Retention;

    public static EarlierAnswer Decide(StoredAnswer answer, DateTimeOffset now) =>
        answer.Completed || now - answer.CreatedAt >= InFlight ? EarlierAnswer.Replay : EarlierAnswer.InProgress;
}
