using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Http;

namespace Herald.Server.Payloads;

/// <summary>
/// Reads entities from an epilot-compatible Entity API: <c>GET {BaseUrl}/v1/entity/{slug}/{id}?hydrate=true</c>
/// with the organization's bearer token and <c>x-epilot-org-id</c>, answering <c>{"entity": {...}, "relations": [...]}</c>.
/// The address is the operator's, not a config's, so the destination guard does not apply.
/// Failure policy: 404 means the entity is unknown; 408, 429, 5xx, timeouts and connection errors are worth
/// retrying; any other answer is not. A slug or id that is not one plain path segment is refused without asking
/// (<see cref="EntityPath"/>).
/// </summary>
public sealed class EntityApiSource(EntitiesOptions options) : IEntitySource, IDisposable
{
    private readonly string _baseUrl = Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        ? url.ToString().TrimEnd('/')
        : throw new InvalidSettingException($"Entities:BaseUrl must be an absolute http or https url (got '{options.BaseUrl}')");

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
    {
        Timeout = options.Timeout,
    };

    public async Task<FetchedEntity?> GetAsync(OrganizationId orgId, string slug, string id, CancellationToken cancellationToken)
    {
        var url = EntityPath.UrlOf(_baseUrl, slug, id)
            ?? throw new EntitySourceException(EntityPath.Problem(slug, id) ?? $"the entity's address would leave {_baseUrl}/v1/entity/", retryable: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("x-epilot-org-id", orgId.Value);
        if (options.TokenFor(orgId.Value) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        string text;
        HttpStatusCode status;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = response.StatusCode;
            if (status == HttpStatusCode.NotFound)
            {
                return null;
            }
            text = await ReadCappedAsync(response.Content, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new EntitySourceException($"the Entity API could not be reached ({e.Message})", retryable: true, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EntitySourceException($"the Entity API did not answer within {options.Timeout.TotalSeconds:0.#} s", retryable: true, e);
        }

        var code = (int)status;
        if (code is < 200 or > 299)
        {
            throw new EntitySourceException($"the Entity API answered {code}", retryable: code is >= 500 or 429 or 408);
        }
        return Read(text);
    }

    private async Task<string> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > options.MaxResponseBytes)
        {
            throw TooLarge();
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > options.MaxResponseBytes)
            {
                throw TooLarge();
            }
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private EntitySourceException TooLarge() =>
        new($"the Entity API answer exceeds {options.MaxResponseBytes} bytes", retryable: false);

    private static FetchedEntity Read(string text)
    {
        JsonNode? answer;
        if (JsonText.FirstProblem(System.Text.Encoding.UTF8.GetBytes(text)) is not null)
        {
            throw new EntitySourceException("the Entity API answered with JSON whose text is not Unicode (an escaped half of a UTF-16 character)", retryable: false);
        }
        try
        {
            answer = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new EntitySourceException("the Entity API answered with malformed JSON", retryable: false, e);
        }
        if (answer?["entity"] is not JsonObject entity)
        {
            throw new EntitySourceException("the Entity API answered without an entity object", retryable: false);
        }
        var relations = answer["relations"] as JsonArray ?? [];
        entity.Parent?.AsObject().Remove("entity");
        relations.Parent?.AsObject().Remove("relations");
        return new FetchedEntity(entity, relations);
    }

    public void Dispose() => _http.Dispose();
}
