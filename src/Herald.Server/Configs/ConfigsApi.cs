using System.Runtime.CompilerServices;
using System.Security.Claims;
using Herald.Server.Authentication;
using Herald.Server.Expressions;
using Herald.Server.Http;

namespace Herald.Server.Configs;

/// <summary>
/// GET    /v1/webhooks/configs               getConfigs
/// POST   /v1/webhooks/configs               createConfig
/// GET    /v1/webhooks/configs/{configId}    getConfig
/// PUT    /v1/webhooks/configs/{configId}    updateConfig
/// DELETE /v1/webhooks/configs/{configId}    deleteConfig
/// </summary>
public static class ConfigsApi
{
    /// <summary>
    /// A protected config is changed or deleted only when the request carries this header with the value
    /// <c>true</c>: an explicit statement of intent that a plain client call cannot make by accident.
    /// </summary>
    public const string ProtectedOverrideHeader = "X-Herald-Allow-Protected";

    public static IEndpointRouteBuilder MapConfigs(this IEndpointRouteBuilder routes)
    {
        var configs = routes.MapGroup("/v1/webhooks/configs").WithTags("webhooks").RequireAuthorization();
        configs.MapGet("", GetConfigs).WithName("getConfigs").Produces<WebhookConfig[]>();
        configs.MapPost("", CreateConfig).WithName("createConfig")
            .Accepts<WebhookConfig>("application/json").Produces<WebhookConfig>(StatusCodes.Status201Created).Produces<ErrorResp>(StatusCodes.Status400BadRequest);
        configs.MapGet("/{configId}", GetConfig).WithName("getConfig")
            .Produces<WebhookConfig>().Produces<ErrorResp>(StatusCodes.Status404NotFound);
        configs.MapPut("/{configId}", UpdateConfig).WithName("updateConfig")
            .Accepts<WebhookConfig>("application/json").Produces<WebhookConfig>().Produces<ErrorResp>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResp>(StatusCodes.Status404NotFound).Produces<ErrorResp>(StatusCodes.Status409Conflict);
        configs.MapDelete("/{configId}", DeleteConfig).WithName("deleteConfig")
            .Produces(StatusCodes.Status204NoContent).Produces<ErrorResp>(StatusCodes.Status404NotFound).Produces<ErrorResp>(StatusCodes.Status409Conflict);
        return routes;
    }

    /// <summary>Configs read and written a page at a time: at most this many are in memory per request.</summary>
    public const int ListPageSize = 50;

    /// <summary>
    /// The contract has no paging, so the answer is the organization's configs whole; it is streamed a page at a time
    /// (each page a short query of its own), so a request holds one page in memory and no database reader while the
    /// client reads, however many configs the organization keeps.
    /// </summary>
    public static IResult GetConfigs(string? eventName, ClaimsPrincipal user, IConfigStore store) =>
        StoredText.HasNul(eventName)
            ? Problem.BadRequest(StoredText.NulRefused("eventName"))
            : Results.Ok(Documents(store, user.OrgId(), string.IsNullOrEmpty(eventName) ? null : eventName));

    private static async IAsyncEnumerable<WebhookConfig> Documents(
        IConfigStore store, OrganizationId orgId, string? eventName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ConfigRecord? last = null;
        while (true)
        {
            var page = await store.ListPageAsync(orgId, eventName, last, ListPageSize, cancellationToken);
            foreach (var record in page)
            {
                yield return AsRead(record.Document);
            }
            if (page.Count < ListPageSize)
            {
                yield break;
            }
            last = page[^1];
        }
    }

    public static async Task<IResult> CreateConfig(
        HttpRequest request, ClaimsPrincipal user, IConfigStore store, ConfigSecretsBox box, ConfigsOptions limits, TimeProvider time, TransformOptions transforms,
        CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return error;
        }
        if (ConfigValidator.FirstError(body!, transforms.MaxExpressionLength, limits.MaxRateLimit) is { } invalid)
        {
            return Problem.BadRequest(invalid);
        }

        var orgId = user.OrgId();
        var id = ConfigId.From(ShortId.New());
        var now = time.GetUtcNow();
        var (document, secrets) = ConfigWrites.Create(body!, id.Value, now);
        var record = new ConfigRecord(orgId, id, 1, now, now, document, box.Seal(orgId, id, secrets));
        if (ConfigLimits.TooLarge(record, limits) is { } tooLarge)
        {
            return Problem.BadRequest(tooLarge);
        }
        if (!await store.InsertAsync(record, limits.MaxPerOrganization, cancellationToken))
        {
            return Problem.BadRequest(ConfigLimits.TooMany(limits));
        }

        // Stored without it, the signing secret is shown this once; every later read leaves it out.
        document.SigningSecret = secrets.SigningSecret;
        return Results.Created($"/v1/webhooks/configs/{id}", document);
    }

    public static async Task<IResult> GetConfig(string configId, ClaimsPrincipal user, IConfigStore store, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(user.OrgId(), ConfigId.From(configId), cancellationToken);
        if (record is null)
        {
            return NotFound(configId);
        }
        return Results.Ok(AsRead(record.Document));
    }

    /// <summary>
    /// A stored config with its derived fields as a read answers them, also for a config stored before they were kept:
    /// <c>statusReason</c> and <c>ignoredHeaders</c> (both Herald extensions).
    /// </summary>
    private static WebhookConfig AsRead(WebhookConfig document)
    {
        ConfigStatus.FillReason(document);
        document.IgnoredHeaders = CustomHeaders.Ignored(document);
        return document;
    }

    public static async Task<IResult> UpdateConfig(
        string configId, HttpRequest request, ClaimsPrincipal user, IConfigStore store, ConfigSecretsBox box, ConfigsOptions limits, TimeProvider time,
        TransformOptions transforms, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return error;
        }
        if (ConfigValidator.FirstError(body!, transforms.MaxExpressionLength, limits.MaxRateLimit) is { } invalid)
        {
            return Problem.BadRequest(invalid);
        }

        var stored = await store.GetAsync(user.OrgId(), ConfigId.From(configId), cancellationToken);
        if (stored is null)
        {
            return NotFound(configId);
        }
        if (stored.Document.Protected == true && !AllowsProtected(request))
        {
            return ProtectedConflict(configId);
        }

        var (document, secrets, updatedAt) = ConfigWrites.Update(body!, stored, box.Open(stored), time.GetUtcNow());
        var record = stored with
        {
            Version = stored.Version + 1,
            UpdatedAt = updatedAt,
            Document = document,
            SealedSecrets = box.Seal(stored.OrgId, stored.Id, secrets),
        };
        if (ConfigLimits.TooLarge(record, limits) is { } tooLarge)
        {
            return Problem.BadRequest(tooLarge);
        }
        if (!await store.UpdateAsync(record, stored.Version, cancellationToken))
        {
            return await store.GetAsync(stored.OrgId, stored.Id, cancellationToken) is null
                ? NotFound(configId)
                : Problem.Conflict($"Config {configId} was changed by another request; read it again and retry");
        }
        return Results.Ok(document);
    }

    public static async Task<IResult> DeleteConfig(
        string configId, HttpRequest request, ClaimsPrincipal user, IConfigStore store, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(user.OrgId(), ConfigId.From(configId), cancellationToken);
        if (stored is null)
        {
            return NotFound(configId);
        }
        if (stored.Document.Protected == true && !AllowsProtected(request))
        {
            return ProtectedConflict(configId);
        }
        return await store.DeleteAsync(stored.OrgId, stored.Id, cancellationToken) ? Results.NoContent() : NotFound(configId);
    }

    private static bool AllowsProtected(HttpRequest request) =>
        string.Equals(request.Headers[ProtectedOverrideHeader], "true", StringComparison.OrdinalIgnoreCase);

    private static IResult ProtectedConflict(string configId) =>
        Problem.Conflict($"Config {configId} is protected: send the header '{ProtectedOverrideHeader}: true' to change or delete it");

    private static IResult NotFound(string configId) => Problem.NotFound($"No webhook config with id '{configId}'");
}
