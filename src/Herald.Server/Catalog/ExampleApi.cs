using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Authentication;
using Herald.Server.Configs;
using Herald.Server.Http;
using Herald.Server.Transforms;

namespace Herald.Server.Catalog;

/// <summary>
/// POST /v1/webhooks/configs/{configId}/example   getWebhookExample
/// </summary>
public static class ExampleApi
{
    /// <summary>Beyond the contract: what the config would send for the example (its body after the transform step).</summary>
    public const string TransformedField = "_herald_transformed";

    /// <summary>Beyond the contract: why the transform step failed for the example, instead of <see cref="TransformedField"/>.</summary>
    public const string TransformErrorField = "_herald_transform_error";

    public static IEndpointRouteBuilder MapExample(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/webhooks/configs/{configId}/example", GetWebhookExample)
            .WithName("getWebhookExample")
            .WithTags("webhooks", "example")
            .RequireAuthorization()
            .WithOptionalJsonBody<ExampleRequest>()
            .Produces<JsonObject>()
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResp>(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<IResult> GetWebhookExample(
        string configId, HttpRequest request, ClaimsPrincipal user, IConfigStore configs, EventCatalog catalog, CatalogDowngrades downgrades, PayloadTransform transform,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request, allowEmpty: true);
        if (error is not null)
        {
            return error;
        }
        string? automationId = null;
        if (body!["automation_id"] is { } given)
        {
            if (given.GetValueKind() != JsonValueKind.String)
            {
                return Problem.BadRequest("automation_id must be a string");
            }
            automationId = given.GetValue<string>();
        }

        var orgId = user.OrgId();
        var config = await configs.GetAsync(orgId, ConfigId.From(configId), cancellationToken);
        if (config is null)
        {
            return Problem.NotFound($"No webhook config with id '{configId}'");
        }

        var example = WebhookExample.Build(catalog.Find(config.EventName)?.Example, config, orgId, time.GetUtcNow(), Guid.NewGuid(), automationId);
        // A catalog config pinned to an older version sees the example as its deliveries would: downgraded first.
        var versioned = downgrades.ForConfig(config.EventName, example, config.Document.EventVersion);
        var transformed = versioned.Failure is { } versionFailure
            ? new TransformResult(null, false, versionFailure)
            : transform.Apply(config.EventName, config, versioned.Envelope!);
        var answer = (JsonObject)example.DeepClone();
        if (transformed.Failure is { } failure)
        {
            answer[TransformErrorField] = failure.Message;
        }
        else
        {
            answer[TransformedField] = transformed.Body?.DeepClone();
        }
        return Results.Json(answer, HeraldJson.Payload);
    }
}

/// <summary>The contract's <c>ExampleRequest</c> (documentation only: bodies are read by hand).</summary>
public sealed record ExampleRequest([property: System.Text.Json.Serialization.JsonPropertyName("automation_id")] string? AutomationId);
