using System.Security.Claims;
using System.Text.Json.Serialization;
using Herald.Server.Authentication;
using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Intake;

/// <summary>
/// POST /v1/webhooks/configs/{configId}/events/{eventId}/replay   replayEvent         (204, 404, 422)
/// POST /v1/webhooks/configs/{configId}/events/replay-batch       batchReplayEvents   (202, 400, 404, 422)
/// </summary>
/// <remarks>
/// A replay queues one job for the existing event; the worker sends it once with the event's <c>webhook-id</c>, a
/// fresh timestamp and signature, and the config's url and auth as they are now, and never retries it. Its outcome is
/// recorded like any attempt: the event's <c>status</c>, <c>http_response</c> and <c>end_date</c> become the replay's,
/// <c>retry_attempt</c> (automatic retries only) is unchanged, and the attempt row has kind <c>replay</c>.
/// A disabled or incomplete config refuses replays (422) as it refuses triggers.
/// </remarks>
public static partial class ReplayApi
{
    public static IEndpointRouteBuilder MapReplay(this IEndpointRouteBuilder routes)
    {
        var events = routes.MapGroup("/v1/webhooks/configs/{configId}/events").RequireAuthorization();
        events.MapPost("/{eventId}/replay", ReplayEvent).WithName("replayEvent").WithTags("webhooks", "event")
            .WithOptionalJsonBody<ReplayRequestBody>().Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorResp>(StatusCodes.Status404NotFound).Produces<ErrorResp>(StatusCodes.Status422UnprocessableEntity);
        events.MapPost("/replay-batch", BatchReplayEvents).WithName("batchReplayEvents").WithTags("webhooks", "events")
            .Accepts<BatchReplayRequestBody>("application/json").Produces<BatchReplayResp>(StatusCodes.Status202Accepted)
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest).Produces<ErrorResp>(StatusCodes.Status404NotFound)
            .Produces<ErrorResp>(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    public static async Task<IResult> ReplayEvent(
        string configId, string eventId, HttpRequest request, ClaimsPrincipal user, IConfigStore configs, IEventStore events,
        Triggering triggering, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request, allowEmpty: true);
        if (error is not null)
        {
            return error;
        }
        var (reapply, invalid) = ReplayRules.ReadSingle(body!);
        if (invalid is not null)
        {
            return Problem.BadRequest(invalid);
        }

        var orgId = user.OrgId();
        var id = ConfigId.From(configId);
        var config = await configs.GetAsync(orgId, id, cancellationToken);
        var stored = config is null ? null : await events.GetAsync(orgId, WebhookEventId.From(eventId), cancellationToken);
        if (config is null || stored is null || stored.ConfigId != id)
        {
            return EventsApi.NoEvent(configId, eventId);
        }
        if ((Triggering.RefusalFor(config) ?? ReplayRules.Refusal(stored, reapply)) is { } refusal)
        {
            return Problem.Status(StatusCodes.Status422UnprocessableEntity, refusal);
        }

        var queued = await triggering.ReplayAsync(orgId, id, [eventId], reapply);
        if (queued.Count == 0)
        {
            // Purged between the read and the write.
            return EventsApi.NoEvent(configId, eventId);
        }
        LogQueued(logs.CreateLogger(typeof(ReplayApi)), id, 1, reapply);
        return Results.NoContent();
    }

    public static async Task<IResult> BatchReplayEvents(
        string configId, HttpRequest request, ClaimsPrincipal user, IConfigStore configs, IEventStore events,
        Triggering triggering, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return error;
        }
        var (ask, invalid) = ReplayRules.ReadBatch(body!);
        if (invalid is not null)
        {
            return Problem.BadRequest(invalid);
        }

        var orgId = user.OrgId();
        var id = ConfigId.From(configId);
        if (await ConfigToReplayAsync(configs, orgId, id, cancellationToken) is (null, var refused))
        {
            return refused!;
        }

        // Unknown ids, other configs' events and events that cannot be replayed are left out of the answer.
        var replays = new List<string>(ask!.EventIds.Count);
        foreach (var eventId in ask.EventIds)
        {
            var stored = await events.GetAsync(orgId, WebhookEventId.From(eventId), cancellationToken);
            if (stored is not null && stored.ConfigId == id && ReplayRules.Refusal(stored, ask.ReapplyTransform) is null)
            {
                replays.Add(eventId);
            }
        }
        var queued = replays.Count == 0 ? [] : await triggering.ReplayAsync(orgId, id, replays, ask.ReapplyTransform);
        if (queued.Count > 0)
        {
            LogQueued(logs.CreateLogger(typeof(ReplayApi)), id, queued.Count, ask.ReapplyTransform);
        }
        return Results.Json(new BatchReplayResp(queued), statusCode: StatusCodes.Status202Accepted);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Queued {Count} replays for config {ConfigId} (reapply transform: {Reapply})")]
    private static partial void LogQueued(ILogger logger, ConfigId configId, int count, bool reapply);

    /// <summary>
    /// The config whose events are sent again (a batch replay, a recovery), or the answer when there is none (404, also
    /// for another organization's) or it cannot send now (422: disabled, incomplete).
    /// </summary>
    public static async Task<(ConfigRecord? Config, IResult? Refused)> ConfigToReplayAsync(
        IConfigStore configs, OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        var config = await configs.GetAsync(orgId, id, cancellationToken);
        if (config is null)
        {
            return (null, Problem.NotFound($"No webhook config with id '{id}'"));
        }
        return Triggering.RefusalFor(config) is { } refusal ? (null, Problem.Status(StatusCodes.Status422UnprocessableEntity, refusal)) : (config, null);
    }
}

/// <summary>The contract's <c>ReplayRequest</c> (documentation only: bodies are read by hand).</summary>
public sealed record ReplayRequestBody([property: JsonPropertyName("reapply_transform")] bool? ReapplyTransform);

/// <summary>The contract's <c>BatchReplayRequest</c> (documentation only: bodies are read by hand).</summary>
public sealed record BatchReplayRequestBody(
    [property: JsonPropertyName("eventIds")] IReadOnlyList<string> EventIds,
    [property: JsonPropertyName("reapply_transform")] bool? ReapplyTransform);

/// <summary>The 202 answer of <c>batchReplayEvents</c>: the event ids queued, in the order they will be sent.</summary>
public sealed record BatchReplayResp([property: JsonPropertyName("replayed_event_ids")] IReadOnlyList<string> ReplayedEventIds);
