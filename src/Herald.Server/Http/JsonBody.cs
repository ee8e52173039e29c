using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Server.Http;

/// <summary>
/// Reads a request body as a JSON object under a size cap. Handlers read bodies themselves (instead of letting the
/// framework bind them) so that every malformed, mistyped or oversized body becomes a 4xx naming what is wrong.
/// </summary>
public static class JsonBody
{
    public const int DefaultMaxBytes = 1024 * 1024;

    public readonly record struct Outcome(JsonObject? Body, IResult? Error);

    public static async Task<Outcome> ReadObjectAsync(HttpRequest request, int maxBytes = DefaultMaxBytes, bool allowEmpty = false)
    {
        if (request.ContentLength > maxBytes)
        {
            return new(null, TooLarge(maxBytes));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return new(null, TooLarge(maxBytes));
            }
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return allowEmpty
                ? new(new JsonObject(), null)
                : new(null, Problem.BadRequest("Request body is required and must be a JSON object"));
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return new(null, Problem.BadRequest($"Malformed JSON body: {Describe(e)}"));
        }

        return node is JsonObject body
            ? new(body, null)
            : new(null, Problem.BadRequest("Request body must be a JSON object"));
    }

    private static IResult TooLarge(int maxBytes) =>
        Problem.Status(StatusCodes.Status413PayloadTooLarge, $"Request body exceeds the limit of {maxBytes} bytes");

    private static string Describe(JsonException e) =>
        e.LineNumber is { } line ? $"invalid JSON at line {line + 1}, position {e.BytePositionInLine + 1}" : "invalid JSON";
}
