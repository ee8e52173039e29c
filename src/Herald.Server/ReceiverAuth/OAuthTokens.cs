using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.ReceiverAuth;

/// <summary>Which config (and which version of it) a cached token belongs to.</summary>
public readonly record struct TokenScope(OrganizationId OrgId, ConfigId ConfigId, long Version);

/// <summary>A token, or why there is none (a failure for the attempt as it stands).</summary>
public readonly record struct TokenResult(TokenGrant? Grant, Prepared.Fail? Failure);

/// <summary>
/// OAuth client-credentials tokens (wire-format section 3): exchanged through the same guarded egress as the
/// delivery, and cached per config in this process. An entry serves only the config version and the exact token
/// request (endpoint, credentials, parameters, after env resolution) it was fetched for, so an edited config or a
/// changed variable fetches a new token. Misses for one config wait for each other, so a burst of deliveries makes
/// one token request, not one each.
/// </summary>
public sealed partial class OAuthTokens(EgressClients clients, EgressOptions options, TimeProvider time, ILogger<OAuthTokens> logger)
{
    private sealed record Cached(string Fingerprint, TokenGrant Grant, DateTimeOffset Until)
    {
        /// <summary>When it last served an attempt, in <see cref="_uses"/>' count.</summary>
        public long LastUse;
    }

    private readonly ConcurrentDictionary<(OrganizationId OrgId, ConfigId ConfigId), Cached> _cache = new();
    private readonly ConcurrentDictionary<(OrganizationId OrgId, ConfigId ConfigId), SemaphoreSlim> _gates = new();
    private readonly Lock _trimming = new();
    private long _uses;

    /// <summary>Configs with a cached token, and with a gate (for tests).</summary>
    internal (int Tokens, int Gates) Held => (_cache.Count, _gates.Count);

    /// <param name="mask">The attempt's secrets, masked in a failure's message before it is logged or returned.</param>
    public async Task<TokenResult> GetAsync(TokenScope scope, TokenRequest request, EgressRoute? egress, SecretMask mask, CancellationToken abort)
    {
        var key = (scope.OrgId, scope.ConfigId);
        var fingerprint = $"{scope.Version}:{request.Fingerprint()}";
        if (Fresh(key, fingerprint) is { } cached)
        {
            return new(cached, null);
        }
        if (_gates.Count >= options.TokenCacheSize || _cache.Count >= options.TokenCacheSize)
        {
            Trim();
        }
        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(abort);
        try
        {
            if (Fresh(key, fingerprint) is { } fetchedMeanwhile)
            {
                return new(fetchedMeanwhile, null);
            }
            var result = await ExchangeAsync(request, egress, mask, abort);
            if (result.Grant is { } grant && grant.CacheFor() is { } lifetime && lifetime > TimeSpan.Zero)
            {
                _cache[key] = new Cached(fingerprint, grant, time.GetUtcNow() + lifetime) { LastUse = Interlocked.Increment(ref _uses) };
            }
            LogExchange(logger, scope.ConfigId, result.Grant?.ExpiresIn, result.Failure?.StatusCode, result.Failure?.Message);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets the config's cached token if it is still <paramref name="rejectedToken"/> (not a newer one).</summary>
    public bool Drop(TokenScope scope, string rejectedToken)
    {
        var key = (scope.OrgId, scope.ConfigId);
        return _cache.TryGetValue(key, out var cached) && cached.Grant.AccessToken == rejectedToken
            && _cache.TryRemove(KeyValuePair.Create(key, cached));
    }

    /// <summary>One token request, uncached. Never throws for the endpoint's sake; shutdown (<paramref name="abort"/>) rethrows.</summary>
    public async Task<TokenResult> ExchangeAsync(TokenRequest request, EgressRoute? egress, SecretMask mask, CancellationToken abort)
    {
        var result = await ExchangeAsync(request, egress, abort);
        return result.Failure is { } failure ? new(null, failure with { Message = mask.Apply(failure.Message)! }) : result;
    }

    private async Task<TokenResult> ExchangeAsync(TokenRequest request, EgressRoute? egress, CancellationToken abort)
    {
        using var timeout = new CancellationTokenSource(options.TokenTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(abort, timeout.Token);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Form is { } form)
        {
            message.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(form));
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }
        message.Headers.TryAddWithoutValidation("User-Agent", WebhookSender.UserAgent);
        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await clients.For(egress).SendAsync(message, linked.Token);
            var status = (int)response.StatusCode;
            var body = await ReadCappedAsync(response, linked.Token);
            if (status is < 200 or > 299)
            {
                return Failed($"Token endpoint answered {status}{Excerpt(body)}", status);
            }
            // The status is left out here: a 2xx would make the attempt look successful.
            return TokenGrant.Parse(body) is { } grant
                ? new(grant, null)
                : Failed($"Token endpoint answered {status} without an access_token in a JSON object");
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return Failed($"Token endpoint gave no complete answer within {options.TokenTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (WebhookSender.Find<DestinationBlockedException>(e) is { } blocked)
        {
            return new(null, new Prepared.Fail(DeliveryCode.DestinationBlocked, $"Token endpoint: {blocked.Message}", Retryable: false));
        }
        catch (HttpRequestException e)
        {
            return Failed($"Token request failed: {WebhookSender.Describe(e)}");
        }
    }

    /// <summary>
    /// Keeps the cache within <see cref="EgressOptions.TokenCacheSize"/> configs: drops the expired tokens, then, should
    /// that not be enough, the least recently used tokens down to half the size, and the gates no one holds. A gate
    /// taken just before may so be dropped while in use: two token requests for its config may then go at once, once.
    /// </summary>
    private void Trim()
    {
        lock (_trimming)
        {
            var now = time.GetUtcNow();
            foreach (var (key, cached) in _cache)
            {
                if (cached.Until <= now)
                {
                    _cache.TryRemove(KeyValuePair.Create(key, cached));
                }
            }
            if (_cache.Count >= options.TokenCacheSize)
            {
                var keep = options.TokenCacheSize / 2;
                foreach (var (key, cached) in _cache.ToArray().OrderBy(e => Volatile.Read(ref e.Value.LastUse)).SkipLast(keep))
                {
                    _cache.TryRemove(KeyValuePair.Create(key, cached));
                }
            }
            foreach (var (key, gate) in _gates)
            {
                if (gate.CurrentCount == 1)
                {
                    _gates.TryRemove(KeyValuePair.Create(key, gate));
                }
            }
        }
    }

    private TokenGrant? Fresh((OrganizationId, ConfigId) key, string fingerprint)
    {
        if (_cache.TryGetValue(key, out var cached) && cached.Fingerprint == fingerprint && time.GetUtcNow() < cached.Until)
        {
            Volatile.Write(ref cached.LastUse, Interlocked.Increment(ref _uses));
            return cached.Grant;
        }
        return null;
    }

    private static TokenResult Failed(string message, int? statusCode = null) =>
        new(null, new Prepared.Fail(DeliveryCode.OAuthTokenExchangeError, message, Retryable: true, statusCode));

    private async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[options.MaxResponseBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        return buffer[..length];
    }

    /// <summary>The start of an error answer, which says why (<c>invalid_client</c>, ...); never of a 2xx, which holds the token.</summary>
    private static string Excerpt(byte[] body)
    {
        const int max = 300;
        var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, max * 4))).Trim();
        return text.Length == 0 ? "" : ": " + (text.Length > max ? StoredText.Cut(text, max) + "..." : text);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "OAuth token exchange for config {ConfigId}: expires_in {ExpiresIn}, status {StatusCode}, failure {Failure}")]
    private static partial void LogExchange(ILogger logger, ConfigId configId, double? expiresIn, int? statusCode, string? failure);
}
