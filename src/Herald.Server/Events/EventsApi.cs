using System.Security.Claims;
using System.Text.Json.Nodes;
using Herald.Server.Authentication;
using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// GET /v1/webhooks/configs/{configId}/events/{eventId}   getEventById
/// </summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        var events = routes.MapGroup("/v1/webhooks/configs/{configId}/events").WithTags("webhooks", "event").RequireAuthorization();
        events.MapGet("/{eventId}", GetEventById).WithName("getEventById")
            .Produces<WebhookEvent>().Produces<ErrorResp>(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<IResult> GetEventById(
        string configId, string eventId, ClaimsPrincipal user, IEventStore events, IConfigStore configs, CancellationToken cancellationToken)
    {
        var orgId = user.OrgId();
        var stored = await events.GetAsync(orgId, eventId, cancellationToken);
        if (stored is null || stored.ConfigId != configId)
        {
            return Problem.NotFound($"No event '{eventId}' for webhook config '{configId}'");
        }
        var config = await configs.GetAsync(orgId, configId, cancellationToken);
        return Results.Ok(ToContract(stored, config?.Document));
    }

    public static WebhookEvent ToContract(EventRecord stored, WebhookConfig? config)
    {
        var (canReapply, reason) = Reapply(stored, config);
        return new WebhookEvent
        {
            EventId = stored.EventId,
            OrgId = stored.OrgId,
            WebhookConfigId = stored.ConfigId,
            Url = stored.Url,
            CreatedAt = HeraldJson.Timestamp(stored.CreatedAt),
            EventName = stored.EventName,
            HttpResponse = stored.HttpResponse is null ? null : JsonNode.Parse(stored.HttpResponse),
            Metadata = stored.Metadata is null ? null : JsonNode.Parse(stored.Metadata),
            Status = stored.Status,
            HttpMethod = stored.HttpMethod,
            Payload = stored.Payload,
            OriginalPayload = stored.OriginalPayload,
            RetryAttempt = stored.RetryAttempt,
            CanReapplyTransform = canReapply,
            CanReapplyTransformReason = reason,
            StartDate = stored.StartDate is { } start ? HeraldJson.Timestamp(start) : null,
            EndDate = stored.EndDate is { } end ? HeraldJson.Timestamp(end) : null,
        };
    }

    /// <summary>
    /// A transform can be re-applied when the config has one and the event's input is kept; Herald keeps the input
    /// of every event it accepted, so only a missing transform (or a purged input) says no.
    /// </summary>
    private static (bool, string) Reapply(EventRecord stored, WebhookConfig? config) =>
        string.IsNullOrWhiteSpace(config?.JsonataExpression) ? (false, "no_transform_configured")
        : string.IsNullOrEmpty(stored.Input) ? (false, "no_original_source")
        : (true, "available");
}
