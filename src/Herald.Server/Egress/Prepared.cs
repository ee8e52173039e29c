using Herald.Server.Events;

namespace Herald.Server.Egress;

/// <summary>What the pipeline decided for one attempt: send this request, skip the event, or fail it.</summary>
public abstract record Prepared
{
    /// <param name="Hydration">What became of <c>hydrate_entity</c> (see <c>Payloads.Hydration</c>), when the config asks for it.</param>
    /// <param name="PayloadIsInput">The body is the event's input, byte for byte: the log keeps it once (<c>Events.StoredPayload</c>).</param>
    public sealed record Send(OutgoingRequest Request, string Payload, string? OriginalPayload, string? Hydration = null, bool PayloadIsInput = false) : Prepared;

    /// <param name="Code">A machine-readable reason recorded as <c>http_response.code</c> (<c>NO_FILE_ATTACHMENTS</c>).</param>
    public sealed record Skip(string Reason, string? Hydration = null, string? Code = null) : Prepared;

    public sealed record Fail(DeliveryCode Code, string Message, bool Retryable, int? StatusCode = null) : Prepared;
}
