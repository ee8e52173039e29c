using System.Text.Json;
using Herald.Server.Configs;
using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>How a signing-secret rotation ended.</summary>
public abstract record SecretRotationOutcome
{
    /// <summary>The new secret, shown this once, and until when the one it replaced still signs (null when there was none).</summary>
    public sealed record Rotated(string SigningSecret, DateTimeOffset? PreviousExpiresAt) : SecretRotationOutcome;

    /// <summary>No such config in the organization.</summary>
    public sealed record NotFound : SecretRotationOutcome;

    /// <summary>The config changed meanwhile, or would grow past a limit: the message says which.</summary>
    public sealed record Refused(int StatusCode, string Message) : SecretRotationOutcome;
}

/// <summary>
/// Rotates a config's signing secret, and later forgets the secret it replaced. Both secrets are sealed together with
/// the config's other secrets, so a rotation is one optimistic update of the config (its version grows, its document
/// and <c>updatedTime</c> stay, but for <c>signingSecretRotation</c>). Delivery signs with both while the overlap lasts
/// (<see cref="SigningSecrets.At"/>); the cleanup then deletes the old one.
/// </summary>
public sealed class SecretRotation(
    IConfigStore configs, ConfigSecretsBox box, IRetiringSecretStore retiring, SigningOptions options, ConfigsOptions limits, TimeProvider time)
{
    public async Task<SecretRotationOutcome> RotateAsync(OrganizationId orgId, ConfigId configId, CancellationToken cancellationToken)
    {
        var stored = await configs.GetAsync(orgId, configId, cancellationToken);
        if (stored is null)
        {
            return new SecretRotationOutcome.NotFound();
        }
        var now = time.GetUtcNow();
        var secrets = box.Open(stored);
        // A rotation during an overlap replaces the current secret: the one before it stops signing now, so at most
        // two secrets sign at any time.
        var previous = string.IsNullOrEmpty(secrets.SigningSecret) ? null : secrets.SigningSecret;
        DateTimeOffset? until = previous is null ? null : now + options.RotationOverlap;
        var rotated = secrets with { SigningSecret = ConfigWrites.NewSigningSecret(), PreviousSigningSecret = previous, PreviousSigningSecretUntil = until };
        var document = Copy(stored.Document);
        document.SigningSecretRotation = new SigningSecretRotation
        {
            RotatedAt = HeraldJson.Timestamp(now),
            PreviousSecretExpiresAt = until is { } end ? HeraldJson.Timestamp(end) : null,
        };
        var record = stored with { Version = stored.Version + 1, Document = document, SealedSecrets = box.Seal(orgId, configId, rotated) };
        if (ConfigLimits.TooLarge(record, limits) is { } tooLarge)
        {
            return new SecretRotationOutcome.Refused(StatusCodes.Status400BadRequest, tooLarge);
        }
        if (until is { } expires)
        {
            // Noted first: should the update below fail, the cleanup finds nothing to delete and forgets the note.
            await retiring.NoteAsync(orgId, configId, expires, cancellationToken);
        }
        if (!await configs.UpdateAsync(record, stored.Version, cancellationToken))
        {
            return await configs.GetAsync(orgId, configId, cancellationToken) is null
                ? new SecretRotationOutcome.NotFound()
                : new SecretRotationOutcome.Refused(StatusCodes.Status409Conflict, $"Config {configId} was changed by another request; rotate again");
        }
        return new SecretRotationOutcome.Rotated(rotated.SigningSecret!, until);
    }

    /// <summary>
    /// Deletes the replaced secrets whose overlap has ended, of up to <paramref name="max"/> configs; returns how many
    /// configs are done. A config changed meanwhile is left for the next pass.
    /// </summary>
    public async Task<int> ForgetExpiredAsync(int max, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var done = 0;
        foreach (var (orgId, configId) in await retiring.DueAsync(now, max, cancellationToken))
        {
            if (await ForgetAsync(orgId, configId, now, cancellationToken))
            {
                await retiring.RemoveAsync(orgId, configId, now, cancellationToken);
                done++;
            }
        }
        return done;
    }

    private async Task<bool> ForgetAsync(OrganizationId orgId, ConfigId configId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await configs.GetAsync(orgId, configId, cancellationToken);
        if (stored is null)
        {
            return true;
        }
        var secrets = box.Open(stored);
        if (secrets.PreviousSigningSecret is null || SigningSecrets.IsPreviousInUse(secrets, now))
        {
            return true;
        }
        var document = Copy(stored.Document);
        if (document.SigningSecretRotation is { } rotation)
        {
            rotation.PreviousSecretExpiresAt = null;
        }
        var forgotten = secrets with { PreviousSigningSecret = null, PreviousSigningSecretUntil = null };
        var record = stored with { Version = stored.Version + 1, Document = document, SealedSecrets = box.Seal(orgId, configId, forgotten) };
        return await configs.UpdateAsync(record, stored.Version, cancellationToken);
    }

    /// <summary>Stored records are shared with triggers and deliveries: a change is made on a copy.</summary>
    private static WebhookConfig Copy(WebhookConfig document) =>
        JsonSerializer.Deserialize<WebhookConfig>(JsonSerializer.SerializeToUtf8Bytes(document, HeraldJson.Options), HeraldJson.Options)!;
}
