using Microsoft.AspNetCore.Diagnostics;

namespace Herald.Server.Http;

/// <summary>
/// The one place where surprises become answers: an unexpected exception is logged and answered with a bare 500
/// that leaks no internals; a framework rejection (bad request line, body too large) keeps its 4xx; unmatched
/// routes and methods get the contract's <c>{"message"}</c> body too.
/// </summary>
public static partial class ErrorHandling
{
    public static WebApplication UseHeraldErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(WriteErrorAsync));
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            if (response.HasStarted || response.ContentLength > 0 || response.ContentType is not null)
            {
                return;
            }
            var message = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => "Not found",
                StatusCodes.Status405MethodNotAllowed => "Method not allowed",
                StatusCodes.Status401Unauthorized => "Unauthorized",
                StatusCodes.Status403Forbidden => "Forbidden",
                StatusCodes.Status415UnsupportedMediaType => "Content-Type must be application/json",
                _ => "Request failed",
            };
            await response.WriteAsJsonAsync(new ErrorResp(message));
        });
        return app;
    }

    private static async Task WriteErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            context.Response.StatusCode = bad.StatusCode;
            await context.Response.WriteAsJsonAsync(new ErrorResp(bad.Message));
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Errors");
        LogUnhandled(logger, context.Request.Method, context.Request.Path, error);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await context.Response.WriteAsJsonAsync(new ErrorResp("Internal server error"));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception? error);
}
