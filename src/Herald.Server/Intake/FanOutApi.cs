using System.Security.Claims;
using Herald.Server.Authentication;
using Herald.Server.Http;
using Herald.Server.Idempotency;

namespace Herald.Server.Intake;

/// <summary>
/// POST /v1/webhooks/events   fanOutEvent   (beyond the contract: one event to every subscribed config, 202 with the event ids; honours Idempotency-Key)
/// </summary>
public static class FanOutApi
{
    public static IEndpointRouteBuilder MapFanOut(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/webhooks/events", FanOutEvent)
            .WithName("fanOutEvent")
            .WithTags("webhooks", "trigger")
            .RequireAuthorization()
            .Accepts<FanOutRequest>("application/json")
            .Produces<FanOutResp>(StatusCodes.Status202Accepted)
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResp>(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<IResult> FanOutEvent(
        HttpRequest request, ClaimsPrincipal user, EventFanOut fanOut, Triggering triggering, IdempotentTriggering idempotent, CancellationToken cancellationToken)
    {
        var orgId = user.OrgId();
        var (key, keyError) = IdempotencyKey.Read(request.Headers);
        if (keyError is not null)
        {
            return Problem.BadRequest(keyError);
        }
        var response = request.HttpContext.Response;
        if (key is not null && await idempotent.EarlierAnswerAsync(response, orgId, IdempotencyRules.FanOutScope, key, cancellationToken) is { } earlier)
        {
            return earlier;
        }
        var (body, error) = await JsonBody.ReadObjectAsync(request, TriggerApi.MaxPayloadBytes);
        if (error is not null)
        {
            return error;
        }
        var (fanOutRequest, invalid) = FanOutRequest.Read(body!);
        if (invalid is not null)
        {
            return Problem.BadRequest(invalid);
        }
        var (events, refused) = await fanOut.PlanAsync(orgId, fanOutRequest!, cancellationToken);
        if (refused is not null)
        {
            return Problem.BadRequest(refused);
        }
        if (key is not null)
        {
            var created = events.Select(e => (e.Config, triggering.NewEvent(e.Config, e.Input))).ToList();
            var answer = new FanOutResp(created.ConvertAll(c => c.Item2.EventId.Value));
            return await idempotent.AcceptAsync(response, orgId, IdempotencyRules.FanOutScope, key, created, StatusCodes.Status202Accepted, answer);
        }
        var eventIds = await triggering.AcceptAllAsync(events);
        return Results.Json(new FanOutResp(eventIds), statusCode: StatusCodes.Status202Accepted);
    }
}
