using Herald.Server.Http;
using System.Text.Json.Nodes;

namespace Herald.Server.Payloads;

/// <summary>An entity as its source holds it now, with the entities related to it.</summary>
public sealed record FetchedEntity(JsonObject Entity, JsonArray Relations);

/// <summary>Where <c>hydrate_entity</c> reads the full, current entity from.</summary>
public interface IEntitySource
{
    /// <summary>
    /// The entity of schema <paramref name="slug"/> with id <paramref name="id"/> in the organization, or null when
    /// the source does not know it. Throws <see cref="EntitySourceException"/> when the source fails.
    /// </summary>
    Task<FetchedEntity?> GetAsync(OrganizationId orgId, string slug, string id, CancellationToken cancellationToken);
}

/// <summary>The entity source failed; <see cref="Retryable"/> when trying again later may help.</summary>
public sealed class EntitySourceException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
