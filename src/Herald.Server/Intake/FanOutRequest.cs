using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Http;

namespace Herald.Server.Intake;

/// <summary>The body of <c>POST /v1/webhooks/events</c>: <c>{"eventName": "...", "payload": {...}}</c>. Other members are ignored.</summary>
public sealed record FanOutRequest(string EventName, JsonObject Payload)
{
    public const int MaxEventNameLength = 255;

    /// <summary>The request, or the first problem with the body.</summary>
    public static (FanOutRequest? Request, string? Error) Read(JsonObject body)
    {
        if (body["eventName"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
        {
            return (null, body.ContainsKey("eventName") ? "eventName must be a string" : "eventName is required");
        }
        var eventName = name.GetValue<string>();
        if (string.IsNullOrWhiteSpace(eventName))
        {
            return (null, "eventName must not be empty");
        }
        if (StoredText.HasNul(eventName))
        {
            return (null, StoredText.NulRefused("eventName"));
        }
        if (eventName.Length > MaxEventNameLength)
        {
            return (null, $"eventName must be at most {MaxEventNameLength} characters");
        }
        if (body["payload"] is not JsonObject payload)
        {
            return (null, body["payload"] is null ? "payload is required" : "payload must be an object");
        }
        payload.Parent?.AsObject().Remove("payload");
        return (new FanOutRequest(eventName, payload), null);
    }
}
