using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Egress;

/// <summary>One request as it will go on the wire: the body is serialized once and signed as is.</summary>
/// <param name="Egress">How it leaves Herald; null is <see cref="EgressRoute.Direct"/>.</param>
/// <param name="Streamed">A body streamed from elsewhere (a multipart form of files) in place of <paramref name="Body"/>; it signs its own stand-in.</param>
public sealed record OutgoingRequest(Uri Url, string Method, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers, EgressRoute? Egress = null, StreamedBody? Streamed = null)
{
    /// <summary>What the signature covers after id and timestamp: the body, or a streamed body's stand-in.</summary>
    public byte[] SignedBody => Streamed?.SignedContent ?? Body;

    /// <summary>What the attempt's record of this request must not show (<see cref="RequestRecord"/>).</summary>
    public RequestRedaction Redaction { get; init; } = RequestRedaction.None;
}

/// <summary>
/// Makes one HTTP attempt through the destination guard, never following redirects, under the attempt timeout,
/// reading at most <see cref="EgressOptions.MaxResponseBytes"/> of the answer. Never throws for the receiver's
/// sake: every outcome becomes an <see cref="AttemptResult"/>, which carries the record of the request as it was
/// handed to the HTTP stack (<see cref="RequestRecord"/>). Cancellation by <c>abort</c> (shutdown) is rethrown.
/// </summary>
public sealed class WebhookSender
{
    public static readonly string UserAgent = $"Herald-Webhooks/{typeof(WebhookSender).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    private static readonly HashSet<string> BodyMethods = new(StringComparer.OrdinalIgnoreCase) { "POST", "PUT", "PATCH" };

    private readonly EgressClients _clients;
    private readonly EgressOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(EgressClients clients, EgressOptions options, TimeProvider time)
    {
        _clients = clients;
        _options = options;
        _time = time;
    }

    /// <summary>Whether a method carries the JSON body (POST, PUT, PATCH); others send none and sign the empty body.</summary>
    public static bool CarriesBody(string method) => BodyMethods.Contains(method);

    public async Task<AttemptResult> SendAsync(OutgoingRequest outgoing, CancellationToken abort)
    {
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(abort, timeout.Token);
        using var request = new HttpRequestMessage(new HttpMethod(outgoing.Method), outgoing.Url);
        if (CarriesBody(outgoing.Method) && outgoing.Streamed is { } streamed)
        {
            request.Content = streamed.CreateContent();
        }
        else if (CarriesBody(outgoing.Method))
        {
            request.Content = new ByteArrayContent(outgoing.Body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Content.Headers.ContentLength = outgoing.Body.Length;
        }
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (var (name, value) in outgoing.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        TraceContext.Inject(_options, request);
        var sent = RequestRecord.Of(request, outgoing.Redaction, _options.MaxRequestHeaderBytes);
        return await TryAsync(request, outgoing.Egress, linked.Token, abort) with { Request = sent };
    }

    private async Task<AttemptResult> TryAsync(HttpRequestMessage request, EgressRoute? egress, CancellationToken attempt, CancellationToken abort)
    {
        try
        {
            using var response = await _clients.For(egress).SendAsync(request, attempt);
            return await ReadAsync(response, attempt);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return AttemptResult.Failure(DeliveryCode.Timeout, $"No complete answer within {_options.AttemptTimeout.TotalSeconds:0.#} s", retryable: true);
        }
        catch (HttpRequestException e) when (Find<DestinationBlockedException>(e) is { } blocked)
        {
            return AttemptResult.Failure(DeliveryCode.DestinationBlocked, blocked.Message, retryable: false);
        }
        catch (HttpRequestException e) when (Find<TimeoutException>(e) is { } slow)
        {
            return AttemptResult.Failure(DeliveryCode.Timeout, slow.Message, retryable: true);
        }
        catch (HttpRequestException e)
        {
            return AttemptResult.Failure(DeliveryCode.ConnectionError, Describe(e), retryable: true);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // The connection broke while the answer was read (a reset after the headers, say): not wrapped by HttpClient.
            return AttemptResult.Failure(DeliveryCode.ConnectionError, e.Message, retryable: true);
        }
    }

    private async Task<AttemptResult> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var retryAfter = RetryAfter(response);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        // Rented, not allocated: a fresh zeroed buffer of the whole cap per attempt cost more than the rest of reading.
        var limit = _options.MaxResponseBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var length = 0;
            int read;
            while (length < limit && (read = await stream.ReadAsync(buffer.AsMemory(length, limit - length), cancellationToken)) > 0)
            {
                length += read;
            }
            if (length > _options.MaxResponseBytes)
            {
                return AttemptResult.FromStatus(status, DeliveryCode.ResponseTooLarge, $"Response body exceeds {_options.MaxResponseBytes} bytes; it was not recorded", null, retryAfter);
            }
            var (body, message) = Interpret(buffer.AsSpan(0, length));
            return AttemptResult.FromStatus(status, null, message, body, retryAfter);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A JSON object answer is kept as <c>body</c>; anything else is kept as text in <c>message</c>, JSON whose text is not
    /// Unicode among it (an escaped half of a UTF-16 character, which the parser takes and reading the value then throws on).
    /// </summary>
    internal static (JsonNode? Body, string? Message) Interpret(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            return (null, null);
        }
        try
        {
            if (JsonText.FirstProblem(content) is null && JsonNode.Parse(content) is JsonObject json)
            {
                return (json, null);
            }
        }
        catch (JsonException)
        {
        }
        return (null, Encoding.UTF8.GetString(content));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    internal static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }

    internal static string Describe(HttpRequestException e) =>
        Find<SocketException>(e) is { } socket ? $"{e.Message} ({socket.SocketErrorCode})" : e.Message;
}
