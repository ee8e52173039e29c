using System.Text.Json.Serialization;

namespace Herald.Server.Catalog;

/// <summary>
/// GET /v1/webhooks/configured-events   getConfiguredEvents
/// </summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webhooks/configured-events", GetConfiguredEvents)
            .WithName("getConfiguredEvents")
            .WithTags("webhooks")
            .RequireAuthorization()
            .Produces<EventConfigEntry[]>();
        return routes;
    }

    public static IResult GetConfiguredEvents(EventCatalog catalog) =>
        Results.Ok(catalog.All.Select(e => new EventConfigEntry(e.EventName, e.EventLabel)).ToArray());
}

public sealed record EventConfigEntry(
    [property: JsonPropertyName("eventName")] string EventName,
    [property: JsonPropertyName("eventLabel")] string EventLabel);
