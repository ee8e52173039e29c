using Herald.Server.Storage;

namespace Herald.Server.Hosting;

/// <summary>
/// GET /health/live    the process answers
/// GET /health/ready   the database answers too, and on SQLite its disk keeps Storage:MinFreeBytes free (503 otherwise)
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health/live", () => Results.Ok(new { status = "live" })).AllowAnonymous().ExcludeFromDescription();
        routes.MapGet("/health/ready", Ready).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> Ready(IDatabase database, DiskRoom room, CancellationToken cancellationToken)
    {
        if (!await database.PingAsync(cancellationToken))
        {
            return Results.Json(new { status = "unavailable", message = "Database is not reachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return room.Shortage() is { } shortage
            ? Results.Json(new { status = "unavailable", message = shortage }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok(new { status = "ready", database = database.Provider.ToString() });
    }
}
