using System.Security.Claims;
using Herald.Server.Authentication;
using Herald.Server.Http;

namespace Herald.Server.Environments;

/// <summary>
/// GET    /v1/environments          listEnvironmentVariables
/// POST   /v1/environments          createEnvironmentVariable
/// GET    /v1/environments/{key}    getEnvironmentVariable
/// PUT    /v1/environments/{key}    updateEnvironmentVariable   (upsert: 200 updated, 201 created)
/// DELETE /v1/environments/{key}    deleteEnvironmentVariable
///
/// The String/SecretString subset of the epilot Environments API, per organization. Groups are kept as a name on
/// each variable; the group operations are not served. <c>protected</c> is stored and returned, not enforced: the
/// contract defines no refusal for it.
/// </summary>
public static class EnvironmentsApi
{
    public static IEndpointRouteBuilder MapEnvironments(this IEndpointRouteBuilder routes)
    {
        var variables = routes.MapGroup("/v1/environments").WithTags("environments").RequireAuthorization();
        variables.MapGet("", ListEnvironmentVariables).WithName("listEnvironmentVariables").Produces<EnvironmentVariableList>();
        variables.MapPost("", CreateEnvironmentVariable).WithName("createEnvironmentVariable")
            .Accepts<EnvironmentVariable>("application/json").Produces<EnvironmentVariable>(StatusCodes.Status201Created)
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest).Produces<ErrorResp>(StatusCodes.Status409Conflict);
        variables.MapGet("/{key}", GetEnvironmentVariable).WithName("getEnvironmentVariable")
            .Produces<EnvironmentVariable>().Produces<ErrorResp>(StatusCodes.Status404NotFound);
        variables.MapPut("/{key}", UpdateEnvironmentVariable).WithName("updateEnvironmentVariable")
            .Accepts<EnvironmentVariable>("application/json").Produces<EnvironmentVariable>().Produces<EnvironmentVariable>(StatusCodes.Status201Created)
            .Produces<ErrorResp>(StatusCodes.Status400BadRequest).Produces<ErrorResp>(StatusCodes.Status409Conflict);
        variables.MapDelete("/{key}", DeleteEnvironmentVariable).WithName("deleteEnvironmentVariable")
            .Produces(StatusCodes.Status204NoContent).Produces<ErrorResp>(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<IResult> ListEnvironmentVariables(ClaimsPrincipal user, IEnvironmentStore store, CancellationToken cancellationToken)
    {
        var records = await store.ListAsync(user.OrgId(), cancellationToken);
        return Results.Ok(new EnvironmentVariableList(records.Select(EnvironmentVariable.From).ToList()));
    }

    public static async Task<IResult> CreateEnvironmentVariable(
        HttpRequest request, ClaimsPrincipal user, IEnvironmentStore store, EnvironmentSecrets secrets, EnvironmentsOptions limits, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return error;
        }
        if (EnvironmentValidator.ForCreate(body!) is { } invalid)
        {
            return Problem.BadRequest(invalid);
        }
        var key = body!["key"]!.GetValue<string>();
        var record = EnvironmentWrites.Create(body, user.OrgId(), key, time.GetUtcNow(), secrets.Seal);
        return await store.InsertAsync(record, limits.MaxPerOrganization, cancellationToken) switch
        {
            EnvironmentInsert.Inserted => Results.Created($"/v1/environments/{key}", EnvironmentVariable.From(record)),
            EnvironmentInsert.Exists => Problem.Conflict($"An environment variable with key '{key}' already exists"),
            _ => Problem.BadRequest(limits.TooMany()),
        };
    }

    public static async Task<IResult> GetEnvironmentVariable(string key, ClaimsPrincipal user, IEnvironmentStore store, CancellationToken cancellationToken)
    {
        var record = EnvironmentValidator.IsValidKey(key) ? await store.GetAsync(user.OrgId(), key, cancellationToken) : null;
        return record is null ? NotFound(key) : Results.Ok(EnvironmentVariable.From(record));
    }

    public static async Task<IResult> UpdateEnvironmentVariable(
        string key, HttpRequest request, ClaimsPrincipal user, IEnvironmentStore store, EnvironmentSecrets secrets, EnvironmentsOptions limits,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (!EnvironmentValidator.IsValidKey(key))
        {
            return Problem.BadRequest($"key {EnvironmentValidator.KeyRule}");
        }
        var (body, error) = await JsonBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return error;
        }
        var orgId = user.OrgId();
        var stored = await store.GetAsync(orgId, key, cancellationToken);
        if (EnvironmentValidator.ForUpdate(body!, stored?.Type) is { } invalid)
        {
            return Problem.BadRequest(invalid);
        }

        if (stored is null)
        {
            var created = EnvironmentWrites.Create(body!, orgId, key, time.GetUtcNow(), secrets.Seal);
            return await store.InsertAsync(created, limits.MaxPerOrganization, cancellationToken) switch
            {
                EnvironmentInsert.Inserted => Results.Created($"/v1/environments/{key}", EnvironmentVariable.From(created)),
                EnvironmentInsert.Exists => Problem.Conflict($"Environment variable '{key}' was created by another request; read it again and retry"),
                _ => Problem.BadRequest(limits.TooMany()),
            };
        }
        var (record, conflict) = EnvironmentWrites.Update(body!, stored, time.GetUtcNow(), secrets.Seal);
        if (conflict is not null)
        {
            return Problem.Conflict(conflict);
        }
        return await store.UpdateAsync(record!, stored.Version, cancellationToken)
            ? Results.Ok(EnvironmentVariable.From(record!))
            : Problem.Conflict($"Environment variable '{key}' was changed by another request; read it again and retry");
    }

    public static async Task<IResult> DeleteEnvironmentVariable(string key, ClaimsPrincipal user, IEnvironmentStore store, CancellationToken cancellationToken)
    {
        var deleted = EnvironmentValidator.IsValidKey(key) && await store.DeleteAsync(user.OrgId(), key, cancellationToken);
        return deleted ? Results.NoContent() : NotFound(key);
    }

    private static IResult NotFound(string key) => Problem.NotFound($"No environment variable with key '{key}'");
}
