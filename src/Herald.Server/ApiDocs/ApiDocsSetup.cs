using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Herald.Server.ApiDocs;

/// <summary>
/// GET /openapi/v1.json   the OpenAPI document, generated from the routes and completed from <see cref="ApiOperations"/>
/// GET /docs              an interactive page over that document; its scripts are served by Herald, nothing from a CDN
/// </summary>
public static class ApiDocsSetup
{
    public const string SchemeName = "bearer";
    public const string ExtensionMark = "x-herald-extension";
    public const string DocsPath = "/docs";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(DescribeDocument);
            options.AddOperationTransformer(DescribeOperation);
        });

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi().AllowAnonymous();
        routes.MapScalarApiReference(DocsPath, docs => docs
                .WithTitle("Herald API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts()
                .DisableTelemetry())
            .AllowAnonymous();
        return routes;
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Herald";
        document.Info.Description = "Self-hosted webhooks with the epilot Webhooks API. Every call but getPublicKey needs "
            + "`Authorization: Bearer <token>` (a static token from `Auth:Tokens` or a JWT). Operations and fields marked "
            + $"`{ExtensionMark}: true` are Herald extensions beyond the epilot contract. Herald extension: any operation "
            + "that needs the database answers `503` with `Retry-After` and a `message` while the database cannot serve "
            + "(unreachable, shutting down, read-only, its disk full or failing, its data damaged, no free connection, a "
            + "statement past its `statement_timeout`), or "
            + "when the connection was lost while its write was being committed, which may then have been made; retry it, "
            + "a trigger with the same `Idempotency-Key`. Herald extension: on SQLite, an operation that makes new events or "
            + "replays (triggers, fan-outs, `replayEvent`, `batchReplayEvents`) answers `503` with `Retry-After` and a `message` "
            + "while the database's disk has less free space than `Storage:MinFreeBytes`, and writes nothing. "
            + "Herald extension: any operation with a request body answers "
            + "`429` with `Retry-After` and a `message` when the bodies its organization is sending to the node at once would "
            + "pass `Requests:MaxBodyBytesInFlightPerOrganization`, and `503` likewise past the node's "
            + "`Requests:MaxBodyBytesInFlight`; the body is not read and nothing is written. Herald extension: a node handles "
            + "at most `Requests:MaxConcurrentPerOrganization` of an organization's requests at once, the next wait for "
            + "their turn in the order they came, and one more than `Requests:MaxQueuedPerOrganization` waiting answers "
            + "`429` with `Retry-After` and a `message`, and nothing is done. A sync trigger gives its turn back while it "
            + "waits for its receiver. Herald extension: a request whose headers pass `Requests:MaxHeaderBytes` or "
            + "`Requests:MaxHeaderCount` answers `431`, and one whose URL passes `Requests:MaxUrlBytes` answers `414`, each "
            + "with a `message` naming the setting, before authentication.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A static token configured in Auth:Tokens, or a JWT validated by Auth:Jwt; either acts for one organization.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];

        foreach (var (schemaName, property, description) in ApiOperations.ExtensionFields)
        {
            if (document.Components.Schemas is { } schemas && schemas.TryGetValue(schemaName, out var schema)
                && schema.Properties is { } properties && properties.TryGetValue(property, out var found) && found is OpenApiSchema field)
            {
                field.Description = $"Herald extension. {description}";
                field.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                field.Extensions[ExtensionMark] = new JsonNodeExtension(JsonValue.Create(true));
            }
        }
        return Task.CompletedTask;
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is { } id && ApiOperations.ById.TryGetValue(id, out var text))
        {
            operation.Summary = text.Summary;
            operation.Description = text.Description;
            if (text.Extension)
            {
                operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                operation.Extensions[ExtensionMark] = new JsonNodeExtension(JsonValue.Create(true));
            }
        }
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = []; // overrides the document's bearer requirement
        }
        return Task.CompletedTask;
    }
}
