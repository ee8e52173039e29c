using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Server.Console;

/// <summary>What one API call answered: its status, its JSON body (if any) and the <c>message</c> of an error.</summary>
public sealed record ApiResult(int Status, JsonNode? Body, string? Message)
{
    public bool Ok => Status is >= 200 and < 300;

    /// <summary>The text to show for a failure: the API's message, or the status when it sent none.</summary>
    public string Error => Message ?? $"Herald answered HTTP {Status}";
}

/// <summary>
/// Herald's own HTTP API, called for the signed-in session with its token as bearer, so the console sees exactly what
/// the API shows that token's organization. One instance per request.
/// </summary>
public sealed class HeraldApi(IHttpClientFactory clients, ApiAddress address, IHttpContextAccessor context)
{
    public const string ClientName = "HeraldConsoleApi";

    /// <summary>The session's token, or one given explicitly (the sign-in check).</summary>
    public string? Token { get; set; }

    public Task<ApiResult> GetAsync(string path, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResult> DeleteAsync(string path, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public Task<ApiResult> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiResult> PutAsync(string path, JsonNode? body, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken, headers);

    public async Task<ApiResult> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? headers = null)
    {
        var token = Token ?? context.HttpContext?.User.FindFirst(ConsoleSession.TokenClaim)?.Value;
        using var request = new HttpRequestMessage(method, new Uri(address.BaseAddress, path.TrimStart('/')));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? json = null;
        if (text.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                json = JsonValue.Create(text);
            }
        }
        var status = (int)response.StatusCode;
        string? message = null;
        if (status >= 400)
        {
            message = json is JsonObject error && error["message"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : null;
        }
        return new ApiResult(status, json, message);
    }

    /// <summary>A path segment from user input, escaped.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}
