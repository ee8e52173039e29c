using System.Text.Json.Serialization;

namespace Herald.Server.Http;

/// <summary>The contract's <c>ErrorResp</c>: every 4xx and 5xx answer carries one.</summary>
public sealed record ErrorResp([property: JsonPropertyName("message")] string Message);

/// <summary>Typed results for the expected failures, each with an <see cref="ErrorResp"/> body.</summary>
public static class Problem
{
    public static IResult BadRequest(string message) => Results.Json(new ErrorResp(message), statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string message) => Results.Json(new ErrorResp(message), statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string message) => Results.Json(new ErrorResp(message), statusCode: StatusCodes.Status409Conflict);

    public static IResult Status(int statusCode, string message) => Results.Json(new ErrorResp(message), statusCode: statusCode);
}
