using Herald.Server.Storage;

namespace Herald.Server.Hosting;

/// <summary>
/// GET /health/live    the process answers
/// GET /health/ready   the database answers too (503 otherwise)
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health/live", () => Results.Ok(new { status = "live" })).AllowAnonymous().ExcludeFromDescription();
        routes.MapGet("/health/ready", Ready).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> Ready(IDatabase database, CancellationToken cancellationToken) =>
        await database.PingAsync(cancellationToken)
            ? Results.Ok(new { status = "ready", database = database.Provider.ToString() })
            : Results.Json(new { status = "unavailable", message = "Database is not reachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
}
