using System.Security.Claims;
using System.Text.Json.Nodes;
using Herald.Server.Authentication;
using Herald.Server.Configs;
using Herald.Server.Http;
using Herald.Server.Idempotency;

namespace Herald.Server.Intake;

/// <summary>
/// POST /v1/webhooks/configs/{configId}/trigger   triggerWebhook   (?sync=true waits for the first attempt; honours Idempotency-Key)
/// </summary>
public static class TriggerApi
{
    /// <summary>Trigger payloads carry whole entities with their relations: allow more than a config body.</summary>
    public const int MaxPayloadBytes = JsonBody.LargestMaxBytes;

    public static IEndpointRouteBuilder MapTrigger(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/webhooks/configs/{configId}/trigger", TriggerWebhook)
            .WithName("triggerWebhook")
            .WithTags("webhooks", "trigger")
            .RequireAuthorization()
            .Accepts<System.Text.Json.Nodes.JsonObject>("application/json")
            .Produces<TriggerWebhookResp>()
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResp>(StatusCodes.Status404NotFound)
            .Produces<ErrorResp>(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<IResult> TriggerWebhook(
        string configId, bool? sync, HttpRequest request, ClaimsPrincipal user, TriggerConfigs configs, Triggering triggering, IdempotentTriggering idempotent,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var orgId = user.OrgId();
        var (key, keyError) = IdempotencyKey.Read(request.Headers);
        if (keyError is not null)
        {
            return Problem.BadRequest(keyError);
        }
        var scope = IdempotencyRules.TriggerScope(configId);
        // A repeat gets the first answer even if the config changed since.
        if (key is not null && await idempotent.EarlierAnswerAsync(request.HttpContext.Response, orgId, scope, key, cancellationToken) is { } earlier)
        {
            return earlier;
        }
        var id = ConfigId.From(configId);
        var (config, read) = await configs.GetForTriggerAsync(orgId, id, cancellationToken);
        JsonObject? body = null;
        string[] absent = [];
        for (var round = 1; ; round++)
        {
            if (config is null)
            {
                return Problem.NotFound($"No webhook config with id '{configId}'");
            }
            if (Triggering.RefusalFor(config) is { } refusal)
            {
                if (!read)
                {
                    // The record this node knew: refuse only on the config as it is.
                    (config, read) = (await configs.GetAsync(orgId, id, cancellationToken), true);
                    continue;
                }
                return Problem.BadRequest(refusal);
            }
            if (body is null)
            {
                var (given, error) = await JsonBody.ReadObjectAsync(request, MaxPayloadBytes);
                if (error is not null)
                {
                    return error;
                }
                body = given!;
                absent = TriggerPayload.Absent(body);
            }
            var (payload, invalid) = TriggerPayload.Fill(body, configId, config.Document, orgId, time.GetUtcNow(), RandomGuid.NewVersion4());
            if (invalid is not null)
            {
                if (!read)
                {
                    TriggerPayload.TakeBack(body, absent);
                    (config, read) = (await configs.GetAsync(orgId, id, cancellationToken), true);
                    continue;
                }
                return Problem.BadRequest(invalid);
            }
            try
            {
                return await AcceptAsync(config, payload!, key, scope, sync, request.HttpContext.Response, orgId, triggering, idempotent);
            }
            catch (Exception e) when (TriggerConfigs.IsChanged(e))
            {
                // Another node changed the config since this one read it: nothing was written. Read it and start over.
                if (round == MaxRounds)
                {
                    return Problem.Conflict($"Webhook config {configId} changed {MaxRounds} times while this trigger was written; retry the trigger");
                }
                TriggerPayload.TakeBack(body, absent);
                (config, read) = (await configs.GetAsync(orgId, id, cancellationToken), true);
            }
        }
    }

    /// <summary>How often a trigger starts over because its config changed meanwhile before it gives up with 409.</summary>
    private const int MaxRounds = 3;

    private static async Task<IResult> AcceptAsync(
        ConfigRecord config, JsonObject payload, string? key, string scope, bool? sync, HttpResponse response, OrganizationId orgId, Triggering triggering,
        IdempotentTriggering idempotent)
    {
        var stored = triggering.NewEvent(config, EventInput.Of(payload));
        if (sync == true)
        {
            // The job runs like any other (a worker slot, its turn at the destination), to its own timeout even if the
            // caller goes away: its outcome is recorded either way.
            if (key is not null)
            {
                return await idempotent.DeliverNowAsync(response, orgId, scope, key, config, stored);
            }
            var accepted = await triggering.AcceptAsync([(config, stored)], null, JobStart.Now);
            return Results.Ok(await triggering.OutcomeAsync(accepted.Jobs[0], response.HttpContext.Features.Get<RequestTurn>()));
        }
        if (key is not null)
        {
            return await idempotent.AcceptAsync(response, orgId, scope, key, [(config, stored)], StatusCodes.Status200OK, new TriggerWebhookResp { EventId = stored.EventId.Value });
        }
        await triggering.AcceptAsync([(config, stored)], null, JobStart.HandOver);
        return Results.Ok(new TriggerWebhookResp { EventId = stored.EventId.Value });
    }
}
