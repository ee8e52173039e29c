using Herald.Server.Events;

namespace Herald.Server.Delivery;

/// <summary>
/// How a claimed job ends: the attempt to record (if one was made), the event's new state, and either a time for
/// the next retry or, when null, the job's removal. Applied only while the completer still holds the lease.
/// </summary>
public sealed record JobCompletion
{
    public required DeliveryJob Job { get; init; }

    /// <summary>The lease owner completing it.</summary>
    public required string Owner { get; init; }

    public required EventUpdate Event { get; init; }

    public DeliveryAttempt? Attempt { get; init; }

    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>What the attempt says of its config's health (<see cref="IConfigHealthStore"/>); null when it says nothing (no attempt, or a disabled config).</summary>
    public HealthMark? Health { get; init; }

    /// <summary>
    /// The same outcome with <paramref name="note"/> in place of what came from outside: the receiver's answer (the
    /// attempt's message and excerpt, the event's <c>http_response</c> body and message), the request sent and the
    /// payload the delivery made (the event keeps the one stored). For a database that refuses the full record.
    /// </summary>
    public JobCompletion Bare(string note) => this with
    {
        Event = Event with
        {
            Payload = null,
            OriginalPayload = null,
            HttpResponse = AttemptRunner.ResponseJson(Attempt?.StatusCode, null, note, Attempt?.Code?.ToWire()),
        },
        Attempt = Attempt is null ? null : Attempt with { Message = note, ResponseExcerpt = null, Request = null },
        Health = Health is { Succeeded: false } ? Health with { Failure = note } : Health,
    };
}
