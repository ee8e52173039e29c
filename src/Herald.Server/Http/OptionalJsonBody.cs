using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Herald.Server.Http;

/// <summary>Endpoints that read their JSON body by hand, documented in the OpenAPI document all the same.</summary>
public static class OptionalJsonBody
{
    /// <summary>
    /// Documents an optional JSON body of <typeparamref name="T"/> in the OpenAPI document without constraining the
    /// request's Content-Type at routing, as <c>Accepts</c> would: axios (so the epilot client) sends a bodiless POST
    /// as <c>application/x-www-form-urlencoded</c>, which a content-type constraint answers with 415. The handler reads
    /// the body itself; an empty one means defaults, anything else must be a JSON object.
    /// </summary>
    public static RouteHandlerBuilder WithOptionalJsonBody<T>(this RouteHandlerBuilder builder) => Document<T>(builder, required: false);

    /// <summary>
    /// Documents a required JSON body of <typeparamref name="T"/> that the handler reads itself (and answers 400 for
    /// when it is missing or malformed), again without a content-type constraint at routing.
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder) => Document<T>(builder, required: true);

    private static RouteHandlerBuilder Document<T>(RouteHandlerBuilder builder, bool required) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            // A named component, as Accepts<T> gives: generated clients (Herald.Client) name the request type after it.
            IOpenApiSchema body = schema;
            if (context.Document is { } document)
            {
                document.AddComponent(typeof(T).Name, schema);
                body = new OpenApiSchemaReference(typeof(T).Name, document);
            }
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = required,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body } },
            };
        });
}
