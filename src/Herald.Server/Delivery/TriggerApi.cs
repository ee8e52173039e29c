using System.Security.Claims;
using Herald.Server.Authentication;
using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// POST /v1/webhooks/configs/{configId}/trigger   triggerWebhook   (?sync=true waits for the first attempt)
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
            .Produces<ErrorResp>(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<IResult> TriggerWebhook(
        string configId, bool? sync, HttpRequest request, ClaimsPrincipal user, IConfigStore configs, Triggering triggering, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var orgId = user.OrgId();
        var config = await configs.GetAsync(orgId, configId, cancellationToken);
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
        var (payload, invalid) = TriggerPayload.Fill(body!, configId, config.Document, orgId, time.GetUtcNow(), Guid.NewGuid());
        if (invalid is not null)
        {
            return Problem.BadRequest(invalid);
        }

        if (sync == true)
        {
            // The attempt runs to its own timeout even if the caller goes away: its outcome is recorded either way.
            return Results.Ok(await triggering.DeliverNowAsync(config, payload!, CancellationToken.None));
        }
        return Results.Ok(new TriggerWebhookResp { EventId = await triggering.AcceptAsync(config, payload!) });
    }
}
