using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Herald.Server.Authentication;
using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// POST /v2/webhooks/configs/{configId}/events                      getWebhookEventsV2
/// GET  /v1/webhooks/configs/{configId}/events                      getWehookEvents   (deprecated)
/// GET  /v1/webhooks/configs/{configId}/events/{eventId}            getEventById
/// GET  /v1/webhooks/configs/{configId}/events/{eventId}/attempts   getEventAttempts  (beyond the contract)
/// </summary>
/// <remarks>
/// The lists read the organization's events of that config id whether or not the config still exists, so the
/// history of a deleted config stays readable until retention removes it. An unknown config, or another
/// organization's, is therefore an empty page (200), never a 404: the answer is the same as for a config without
/// events, and reveals nothing about other organizations.
/// </remarks>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v2/webhooks/configs/{configId}/events", GetWebhookEventsV2).WithName("getWebhookEventsV2")
            .WithTags("Events").RequireAuthorization()
            .WithOptionalJsonBody<SearchOptions>().Produces<EventListResponse>().Produces<ErrorResp>(StatusCodes.Status400BadRequest);

        var events = routes.MapGroup("/v1/webhooks/configs/{configId}/events").RequireAuthorization();
        events.MapGet("", GetWehookEvents).WithName("getWehookEvents").WithTags("webhooks", "events")
            .Produces<EventListV1Response>().Produces<ErrorResp>(StatusCodes.Status400BadRequest)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Deprecated = true;
                return Task.CompletedTask;
            });
        events.MapGet("/{eventId}", GetEventById).WithName("getEventById").WithTags("webhooks", "event")
            .Produces<WebhookEvent>().Produces<ErrorResp>(StatusCodes.Status404NotFound);
        events.MapGet("/{eventId}/attempts", GetEventAttempts).WithName("getEventAttempts").WithTags("webhooks", "event")
            .Produces<EventAttemptsResponse>().Produces<ErrorResp>(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<IResult> GetWebhookEventsV2(
        string configId, HttpRequest request, ClaimsPrincipal user, IEventStore events, IConfigStore configs, INextAttempts retries, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request, allowEmpty: true);
        if (error is not null)
        {
            return error;
        }
        var (query, invalid) = EventSearch.FromSearchOptions(body!);
        if (invalid is not null)
        {
            return Problem.BadRequest(invalid);
        }
        var (page, data) = await PageAsync(user.OrgId(), ConfigId.From(configId), query!, events, configs, cancellationToken);
        await NextAttempts.FillAsync(retries, user.OrgId(), data, cancellationToken);
        return Results.Ok(new EventListResponse { Data = data, NextCursor = page.Next?.ToJson(), HasMore = page.HasMore });
    }

    public static async Task<IResult> GetWehookEvents(
        string configId, string? status, string? cursor, ClaimsPrincipal user, IEventStore events, IConfigStore configs, INextAttempts retries, CancellationToken cancellationToken)
    {
        var (query, invalid) = EventSearch.FromV1(status, cursor);
        if (invalid is not null)
        {
            return Problem.BadRequest(invalid);
        }
        var (page, data) = await PageAsync(user.OrgId(), ConfigId.From(configId), query!, events, configs, cancellationToken);
        await NextAttempts.FillAsync(retries, user.OrgId(), data, cancellationToken);
        return Results.Ok(new EventListV1Response { Data = data, Cursor = page.Next?.ToBase64() });
    }

    public static async Task<IResult> GetEventById(
        string configId, string eventId, ClaimsPrincipal user, IEventStore events, IConfigStore configs, INextAttempts retries, CancellationToken cancellationToken)
    {
        var orgId = user.OrgId();
        var id = ConfigId.From(configId);
        var stored = await events.GetAsync(orgId, WebhookEventId.From(eventId), cancellationToken);
        if (stored is null || stored.ConfigId != id)
        {
            return NoEvent(configId, eventId);
        }
        var config = await configs.GetAsync(orgId, id, cancellationToken);
        var found = ToContract(stored, config?.Document);
        await NextAttempts.FillAsync(retries, orgId, [found], cancellationToken);
        return Results.Ok(found);
    }

    /// <summary>The most tries one page of <c>getEventAttempts</c> holds, and its default.</summary>
    public const int MaxAttemptsPerPage = 100;

    public static async Task<IResult> GetEventAttempts(
        string configId, string eventId, string? limit, string? cursor, ClaimsPrincipal user, IEventStore events, CancellationToken cancellationToken)
    {
        var pageSize = MaxAttemptsPerPage;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize)
            || pageSize is < 1 or > MaxAttemptsPerPage))
        {
            return Problem.BadRequest($"limit must be an integer from 1 to {MaxAttemptsPerPage}");
        }
        long? after = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var afterId) || afterId < 1)
            {
                return Problem.BadRequest("cursor must be the next_cursor of an earlier page of this event's attempts");
            }
            after = afterId;
        }
        var orgId = user.OrgId();
        var id = ConfigId.From(configId);
        var stored = await events.GetAsync(orgId, WebhookEventId.From(eventId), cancellationToken);
        if (stored is null || stored.ConfigId != id)
        {
            return NoEvent(configId, eventId);
        }
        var page = await events.AttemptsAsync(orgId, WebhookEventId.From(eventId), after, pageSize, cancellationToken);
        return Results.Ok(new EventAttemptsResponse
        {
            Data = page.Attempts.Select(EventAttempt.From).ToList(),
            HasMore = page.Next is not null,
            NextCursor = page.Next?.ToString(CultureInfo.InvariantCulture),
        });
    }

    public static IResult NoEvent(string configId, string eventId) => Problem.NotFound($"No event '{eventId}' for webhook config '{configId}'");

    private static async Task<(EventPage Page, IReadOnlyList<WebhookEvent> Data)> PageAsync(
        OrganizationId orgId, ConfigId configId, EventQuery query, IEventStore events, IConfigStore configs, CancellationToken cancellationToken)
    {
        var rows = await events.ListAsync(orgId, configId, EventPage.Probe(query), cancellationToken);
        var page = EventPage.From(rows, query.Limit);
        var config = page.Items.Count == 0 ? null : await configs.GetAsync(orgId, configId, cancellationToken);
        return (page, page.Items.Select(e => ToContract(e, config?.Document)).ToList());
    }

    public static WebhookEvent ToContract(EventRecord stored, WebhookConfig? config)
    {
        var (canReapply, reason) = Reapply(stored, config);
        return new WebhookEvent
        {
            EventId = stored.EventId.Value,
            OrgId = stored.OrgId.Value,
            WebhookConfigId = stored.ConfigId.Value,
            Url = stored.Url,
            CreatedAt = HeraldJson.Timestamp(stored.CreatedAt),
            EventName = stored.EventName,
            HttpResponse = stored.HttpResponse is null ? null : JsonNode.Parse(stored.HttpResponse),
            Metadata = stored.Metadata is null ? null : JsonNode.Parse(stored.Metadata),
            Status = stored.Status.ToContract(),
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
