using System.Buffers;
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

    /// <summary>The largest body any route reads (a trigger's event); one organization's room for bodies holds at least this.</summary>
    public const int LargestMaxBytes = 5 * 1024 * 1024;

    public readonly record struct Outcome(JsonObject? Body, IResult? Error);

    public static async Task<Outcome> ReadObjectAsync(HttpRequest request, int maxBytes = DefaultMaxBytes, bool allowEmpty = false)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, LargestMaxBytes);
        if (Encoded(request) is { } encoding)
        {
            // Read as it came, a compressed body would be refused as malformed JSON, which says nothing of the cause.
            return new(null, Problem.Status(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Encoding {encoding} is not supported: send the body uncompressed, without a Content-Encoding header (or with identity)"));
        }
        if (request.ContentLength > maxBytes)
        {
            return new(null, TooLarge(maxBytes));
        }

        // One pooled buffer, sized by Content-Length when the client gave one (one more byte shows a body longer than
        // declared), grown by doubling otherwise: no zeroed arrays and no copies per request. Its size is taken from
        // the node's room for request bodies first (BodyAllowance), and stays taken until the request ends.
        var allowance = request.HttpContext.Features.Get<BodyAllowance>();
        var size = request.ContentLength is { } declared ? (int)declared + 1 : 4096;
        if (allowance?.Cover(size, request.HttpContext.Response) is { } refused)
        {
            return new(null, refused);
        }
        var pool = ArrayPool<byte>.Shared;
        var buffer = pool.Rent(size);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var grown = Math.Min(buffer.Length * 2, maxBytes + 1);
                    if (allowance?.Cover(grown, request.HttpContext.Response) is { } refusedMore)
                    {
                        return new(null, refusedMore);
                    }
                    var larger = pool.Rent(grown);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxBytes)
                {
                    return new(null, TooLarge(maxBytes));
                }
            }
            return Parse(buffer.AsSpan(0, length), allowEmpty);
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    /// <summary>The request's <c>Content-Encoding</c> when it says the body is encoded (anything but <c>identity</c>); else null.</summary>
    private static string? Encoded(HttpRequest request)
    {
        var given = request.Headers.ContentEncoding;
        if (given.Count == 0)
        {
            return null;
        }
        var codings = string.Join(',', given.ToArray()).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return codings.All(c => c.Equals("identity", StringComparison.OrdinalIgnoreCase)) ? null : string.Join(", ", codings);
    }

    /// <summary>The body as a JSON object; the parsed nodes keep their own copy of the bytes.</summary>
    private static Outcome Parse(ReadOnlySpan<byte> utf8, bool allowEmpty)
    {
        if (utf8.IsEmpty)
        {
            return allowEmpty
                ? new(new JsonObject(), null)
                : new(null, Problem.BadRequest("Request body is required and must be a JSON object"));
        }

        // System.Text.Json reads both invalid UTF-8 and escaped lone surrogates; either fails or is replaced later.
        if (JsonText.FirstProblem(utf8) is { } notUnicode)
        {
            return new(null, Problem.BadRequest(notUnicode));
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return new(null, Problem.BadRequest($"Malformed JSON body: {Describe(utf8, e)}"));
        }

        return node is JsonObject body
            ? new(body, null)
            : new(null, Problem.BadRequest("Request body must be a JSON object"));
    }

    private static IResult TooLarge(int maxBytes) =>
        Problem.Status(StatusCodes.Status413PayloadTooLarge, $"Request body exceeds the limit of {maxBytes} bytes");

    /// <summary>The deepest a body's objects and arrays may nest.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Why the parser refused the body: objects and arrays nested deeper than <see cref="MaxDepth"/>, a property named
    /// twice in one object, or else the syntax error at the line and position where the parser stopped. The first two
    /// are found by reading the body once more, token by token without a depth limit, which happens only for a refused body.
    /// </summary>
    private static string Describe(ReadOnlySpan<byte> utf8, JsonException e)
    {
        var syntax = e.LineNumber is { } line ? $"invalid JSON at line {line + 1}, position {e.BytePositionInLine + 1}" : "invalid JSON";
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = int.MaxValue });
        var names = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= MaxDepth:
                        return $"objects and arrays nest deeper than {MaxDepth} levels (at byte {reader.TokenStartIndex + 1})";
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        names.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName when names.Peek() is { } seen && !seen.Add(reader.GetString()!):
                        return $"property \"{reader.GetString()}\" appears twice in one object (at byte {reader.TokenStartIndex + 1}); name each property once";
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error: the parser's own position names it.
        }
        catch (InvalidOperationException)
        {
            // A name the reader cannot unescape: the parser's own position names it too.
        }
        return syntax;
    }
}
