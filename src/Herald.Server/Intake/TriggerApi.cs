using System.Security.Claims;
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
    public const int MaxPayloadBytes = 5 * 1024 * 1024;

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
        var config = await configs.GetAsync(orgId, ConfigId.From(configId), cancellationToken);
        if (config is null)
        {
            return Problem.NotFound($"No webhook config with id '{configId}'");
        }
        if (Triggering.RefusalFor(config) is { } refusal)
        {
            return Problem.BadRequest(refusal);
        }
        var (body, error) = await JsonBody.ReadObjectAsync(request, MaxPayloadBytes);
        if (error is not null)
        {
            return error;
        }
        var (payload, invalid) = TriggerPayload.Fill(body!, configId, config.Document, orgId, time.GetUtcNow(), RandomGuid.NewVersion4());
        if (invalid is not null)
        {
            return Problem.BadRequest(invalid);
        }

        var response = request.HttpContext.Response;
        var stored = triggering.NewEvent(config, EventInput.Of(payload!));
        if (sync == true)
        {
            // The job runs like any other (a worker slot, its turn at the destination), to its own timeout even if the
            // caller goes away: its outcome is recorded either way.
            if (key is not null)
            {
                return await idempotent.DeliverNowAsync(response, orgId, scope, key, config, stored);
            }
            var accepted = await triggering.AcceptAsync([(config, stored)], null, JobStart.Now);
            return Results.Ok(await triggering.OutcomeAsync(accepted.Jobs[0]));
        }
        if (key is not null)
        {
            return await idempotent.AcceptAsync(response, orgId, scope, key, [(config, stored)], StatusCodes.Status200OK, new TriggerWebhookResp { EventId = stored.EventId });
        }
        await triggering.AcceptAsync([(config, stored)], null, JobStart.HandOver);
        return Results.Ok(new TriggerWebhookResp { EventId = stored.EventId });
    }
}
