using System.Security.Claims;
using Herald.Server.Authentication;
using Herald.Server.Delivery;
using Herald.Server.Http;

namespace Herald.Server.FanOut;

/// <summary>
/// POST /v1/webhooks/events   fanOutEvent   (beyond the contract: one event to every subscribed config, 202 with the event ids)
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
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest);
        return routes;
    }

    public static async Task<IResult> FanOutEvent(
        HttpRequest request, ClaimsPrincipal user, EventFanOut fanOut, Triggering triggering, CancellationToken cancellationToken)
    {
        var orgId = user.OrgId();
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
        var eventIds = await triggering.AcceptAllAsync(events);
        return Results.Json(new FanOutResp(eventIds), statusCode: StatusCodes.Status202Accepted);
    }
}
