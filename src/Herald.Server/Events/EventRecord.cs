using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// One accepted event as stored. <see cref="Input"/> is the trigger payload with Herald's metadata filled in;
/// <see cref="Payload"/> is the body as sent (null until first built); <see cref="HttpResponse"/> is the last
/// attempt's recorded response as contract JSON.
/// </summary>
/// <remarks>
/// In storage, a <c>payload</c> column holding <see cref="StoredPayload.PayloadIsInput"/> means the body sent is the input itself,
/// the case of every config without a transform, payload options or a version downgrade: the log keeps that body once.
/// The stores' readers give such a record the input as its <see cref="Payload"/>.
/// An event of a fan-out stores only its own values of the fan-out's <see cref="SharedInput"/> (the one copy of the
/// payload). The stores' readers give such a record its whole input and metadata; a record built for a new fan-out
/// event carries <see cref="Shared"/> instead, with <see cref="Input"/> its own values: read it through
/// <see cref="InputText"/>.
/// Built by name (object initializer), never by position: most of its values are strings, and a swapped pair would
/// still compile. A new event needs the required members; the stores' reader fills in the rest it has.
/// </remarks>
public sealed record EventRecord
{
    public required string EventId { get; init; }
    public required OrganizationId OrgId { get; init; }
    public required ConfigId ConfigId { get; init; }
    public required string EventName { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required EventStatus Status { get; init; }
    public int RetryAttempt { get; init; }
    public string? HttpMethod { get; init; }
    public string? Url { get; init; }
    public string? Metadata { get; init; }
    public required string Input { get; init; }
    public string? Payload { get; init; }
    public string? OriginalPayload { get; init; }
    public string? HttpResponse { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? EndDate { get; init; }
    public SharedInput? Shared { get; init; }

    /// <summary>The whole input: <see cref="Input"/>, or the shared input with this event's values when it has one.</summary>
    public string InputText() => Shared is null ? Input : Shared.InputWith(Input);
}

/// <summary>How the event log stores what it can of a body once.</summary>
public static class StoredPayload
{
    /// <summary>The stored <c>payload</c> meaning "the input, as stored": never a body, which is JSON text and so never empty.</summary>
    public const string PayloadIsInput = "";

    /// <summary>The body, read back from its stored form.</summary>
    public static string? FromStore(string? stored, string input) => stored == PayloadIsInput ? input : stored;
}
