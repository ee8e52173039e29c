using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Herald.Server.Http;

/// <summary>Endpoints whose JSON body the contract makes optional.</summary>
public static class OptionalJsonBody
{
    /// <summary>
    /// Documents an optional JSON body of <typeparamref name="T"/> in the OpenAPI document without constraining the
    /// request's Content-Type at routing, as <c>Accepts</c> would: axios (so the epilot client) sends a bodiless POST
    /// as <c>application/x-www-form-urlencoded</c>, which a content-type constraint answers with 415. The handler reads
    /// the body itself; an empty one means defaults, anything else must be a JSON object.
    /// </summary>
    public static RouteHandlerBuilder WithOptionalJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = false,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
