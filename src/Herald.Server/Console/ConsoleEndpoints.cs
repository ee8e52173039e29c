using System.Text.Json.Nodes;
using Herald.Server.Http;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Herald.Server.Console;

/// <summary>
/// POST /console/signout            ends the session (form with antiforgery token)
/// GET  /console/assets/{name}      the console's stylesheet and script, embedded in the server
/// POST /console/api/transform      the playground's evaluation, for the session (antiforgery header)
/// *    /console/{**path}           anything else: sign-in without a session, 404 with one
/// </summary>
public static class ConsoleEndpoints
{
    private static readonly Dictionary<string, string> AssetTypes = new(StringComparer.Ordinal)
    {
        ["console.css"] = "text/css; charset=utf-8",
        ["console.js"] = "text/javascript; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapConsoleEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(ConsolePaths.SignOut, SignOut).RequireAuthorization(ConsoleSession.Policy).ExcludeFromDescription();
        routes.MapGet(ConsolePaths.Assets + "/{name}", Asset).AllowAnonymous().ExcludeFromDescription();
        routes.MapPost(ConsolePaths.Api + "/transform", Transform).RequireAuthorization(ConsoleSession.Policy).ExcludeFromDescription();
        routes.MapFallback(ConsolePaths.Root + "/{**path}", NotFound).RequireAuthorization(ConsoleSession.Policy).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> SignOut(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest(new ErrorResp("The form is missing its antiforgery token; reload the page and sign out again"));
        }
        await context.SignOutAsync(ConsoleSession.Scheme);
        return Results.Redirect(ConsolePaths.SignIn + "?signedOut=1");
    }

    private static IResult Asset(string name, HttpContext context)
    {
        if (!AssetTypes.TryGetValue(name, out var contentType))
        {
            return Results.NotFound();
        }
        var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream("HeraldConsole." + name);
        if (stream is null)
        {
            return Results.NotFound();
        }
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Stream(stream, contentType);
    }

    /// <summary>Forwards <c>{expression, input}</c> to the API's transform evaluation with the session's token.</summary>
    private static async Task<IResult> Transform(HttpContext context, IAntiforgery antiforgery, HeraldApi api)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest(new ErrorResp("The request is missing its antiforgery token (header RequestVerificationToken); reload the page"));
        }
        var (body, error) = await JsonBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return error;
        }
        var result = await api.PostAsync("v1/webhooks/transform", body, context.RequestAborted);
        return Results.Json(result.Body ?? new JsonObject(), statusCode: result.Status);
    }

    private static IResult NotFound() =>
        Results.Content(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found · Herald</title>" +
            "<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head><body><main class=\"page\"><h1>Not found</h1>" +
            "<p>This console page does not exist. <a href=\"/console/webhooks\">Back to webhooks</a></p></main></body></html>",
            "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
