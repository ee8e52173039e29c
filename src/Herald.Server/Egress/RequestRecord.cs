using Herald.Server.Events;

namespace Herald.Server.Egress;

/// <summary>
/// The record an attempt keeps of the request it sent (<see cref="AttemptRequest"/>), taken from the message as it is
/// handed to the HTTP stack. Credentials are redacted whole, conservatively: the headers <see cref="RequestRedaction"/>
/// names; <c>Authorization</c>, <c>Proxy-Authorization</c> and <c>Cookie</c> whatever set them; and any header that
/// holds a secret variable's value, except those Herald makes itself (signature, framing, user agent, trace context),
/// which no variable reaches and where a short secret could match by chance. Of an <c>Authorization</c> value only its
/// scheme stays (<c>Basic [redacted]</c>). The url loses its user info and shows <c>***</c> where a secret variable's
/// value stood. Pure.
/// </summary>
public static class RequestRecord
{
    private static readonly HashSet<string> AlwaysRedacted = new(StringComparer.OrdinalIgnoreCase) { "authorization", "proxy-authorization", "cookie" };

    /// <summary>Headers Herald makes itself, from no config field or variable.</summary>
    private static readonly HashSet<string> HeraldMade = new(StringComparer.OrdinalIgnoreCase)
    {
        "webhook-id", "webhook-timestamp", "webhook-signature", "user-agent", "content-type", "content-length", "traceparent", "tracestate",
    };

    /// <summary>Listed first, in this order, so that a cap never leaves them out.</summary>
    private static readonly string[] SignatureHeaders = ["webhook-id", "webhook-timestamp", "webhook-signature"];

    /// <param name="maxBytes">How much of the headers' names and values is kept (<see cref="EgressOptions.MaxRequestHeaderBytes"/>).</param>
    public static AttemptRequest Of(HttpRequestMessage request, RequestRedaction redaction, int maxBytes)
    {
        var sent = new List<(string Name, string Value)>();
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            sent.Add((name.ToLowerInvariant(), values.ToString()));
        }
        if (request.Content is { } content)
        {
            foreach (var (name, values) in content.Headers.NonValidated)
            {
                sent.Add((name.ToLowerInvariant(), values.ToString()));
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = 0L;
        var omitted = 0;
        // OrderBy is stable: the other headers keep the order they were sent in.
        foreach (var (name, raw) in sent.OrderBy(h => Array.IndexOf(SignatureHeaders, h.Name) is var i and >= 0 ? i : SignatureHeaders.Length))
        {
            var value = Redact(name, raw, redaction);
            if (omitted > 0 || total + name.Length + value.Length > maxBytes)
            {
                omitted++;
                continue;
            }
            total += name.Length + value.Length;
            headers[name] = value;
        }
        return new AttemptRequest
        {
            Method = request.Method.Method,
            Url = Url(request.RequestUri, redaction),
            Headers = headers,
            OmittedHeaders = omitted > 0 ? omitted : null,
        };
    }

    private static string Redact(string name, string value, RequestRedaction redaction)
    {
        if (!AlwaysRedacted.Contains(name) && !redaction.Headers.Contains(name) && (HeraldMade.Contains(name) || redaction.Mask?.Reveals(value) != true))
        {
            return value;
        }
        // "Basic <credentials>", "Bearer <token>": the scheme tells which auth went out, and is no secret.
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return name.EndsWith("authorization", StringComparison.Ordinal) && space > 0 && value[..space].All(char.IsAsciiLetter)
            ? value[..space] + " " + AttemptRequest.Redacted
            : AttemptRequest.Redacted;
    }

    private static string Url(Uri? url, RequestRedaction redaction)
    {
        if (url is null)
        {
            return "";
        }
        // Scheme, host, port, path and query: the user info is not sent, and may hold a password.
        var text = url.IsAbsoluteUri ? url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped) : url.OriginalString;
        return redaction.Mask?.Apply(text) ?? text;
    }
}
