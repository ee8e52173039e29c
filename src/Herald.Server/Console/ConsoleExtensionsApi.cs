using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Herald.Server.Authentication;
using Herald.Server.Expressions;
using Herald.Server.Http;
using Jsonata;

namespace Herald.Server.Console;

/// <summary>
/// GET  /v1/webhooks/me          the caller's organization (beyond the contract)
/// POST /v1/webhooks/transform   evaluates a JSONata expression against a given input (beyond the contract)
///
/// Two extensions the console needs and the contract lacks: who a token acts for (the console shows it and asks for
/// the organization's public key), and the playground's evaluation of an unsaved expression. Both take the API's
/// bearer token; the evaluation runs under the <c>Transforms</c> guards like any transform, but bypasses the compiled
/// expression cache so that typing does not push the configs' expressions out of it.
/// </summary>
public static class ConsoleExtensionsApi
{
    public static IEndpointRouteBuilder MapConsoleExtensions(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webhooks/me", GetCaller).WithName("heraldGetCaller").WithTags("herald").RequireAuthorization()
            .Produces<CallerResp>();
        routes.MapPost("/v1/webhooks/transform", EvaluateTransform).WithName("heraldEvaluateTransform").WithTags("herald").RequireAuthorization()
            .WithJsonBody<TransformRequest>()
            .Produces<TransformResp>()
            .Produces<TransformErrorResp>(StatusCodes.Status400BadRequest)
            .Produces<TransformErrorResp>(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    public static IResult GetCaller(ClaimsPrincipal user) =>
        Results.Ok(new CallerResp(user.OrgId().Value, user.Identity?.AuthenticationType ?? "token"));

    public static async Task<IResult> EvaluateTransform(HttpRequest request, JsonataRuntime runtime, TransformOptions limits)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return error;
        }
        if (body!["expression"] is not JsonValue expressionNode || !expressionNode.TryGetValue<string>(out var source))
        {
            return Problem.BadRequest("expression is required and must be a string");
        }
        if (source.Length > limits.MaxExpressionLength)
        {
            return Failed(StatusCodes.Status400BadRequest, "expression", new JsonataException(JsonataRuntime.TooLongCode, JsonataRuntime.TooLongMessage(source.Length, limits.MaxExpressionLength)));
        }
        var input = body["input"];
        if (JsonNesting.TooDeep(input))
        {
            return Problem.BadRequest(JsonNesting.Message("input"));
        }

        JsonataExpression compiled;
        try
        {
            compiled = JsonataExpression.Compile(source);
        }
        catch (JsonataException e)
        {
            return Failed(StatusCodes.Status400BadRequest, "expression", e);
        }
        try
        {
            var result = runtime.Evaluate(compiled, input?.DeepClone());
            return Results.Json(new TransformResp(result.ToJsonNode(), result.IsUndefined), HeraldJson.Payload);
        }
        catch (JsonataException e)
        {
            return Failed(StatusCodes.Status422UnprocessableEntity, "evaluating expression", e);
        }
    }

    private static IResult Failed(int status, string what, JsonataException e) =>
        Results.Json(new TransformErrorResp($"{what}: {JsonataRuntime.Describe(e)}", e.Code, e.Position >= 0 ? e.Position : null), statusCode: status);
}

/// <summary>Who the bearer token acts for.</summary>
public sealed record CallerResp(
    [property: JsonPropertyName("org_id")] string OrgId,
    [property: JsonPropertyName("token_kind")] string TokenKind);

/// <summary>What to evaluate: a JSONata expression and the input it runs against (documentation only: the body is read by hand).</summary>
public sealed record TransformRequest(
    [property: JsonPropertyName("expression")] string Expression,
    [property: JsonPropertyName("input")] JsonNode? Input);

/// <summary>A transform's result; <c>undefined</c> when the expression produced nothing (the receiver would get no body).</summary>
public sealed record TransformResp(
    [property: JsonPropertyName("result")] JsonNode? Result,
    [property: JsonPropertyName("undefined")] bool Undefined);

/// <summary>Why an expression failed: the message, the JSONata error code and, when known, the character position.</summary>
public sealed record TransformErrorResp(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("position")] int? Position);
