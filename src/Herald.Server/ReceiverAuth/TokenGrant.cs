using System.Globalization;
using System.Text.Json;

namespace Herald.Server.ReceiverAuth;

/// <summary>A token endpoint's successful answer: the token, and what it said about it.</summary>
public sealed record TokenGrant(string AccessToken, double? ExpiresIn, string? TokenType)
{
    /// <summary>The grant in a 2xx JSON answer, or null when it carries no usable <c>access_token</c>.</summary>
    public static TokenGrant? Parse(ReadOnlySpan<byte> body)
    {
        // An escaped half of a UTF-16 character parses, and reading it then throws: no usable token either.
        if (Http.JsonText.FirstProblem(body) is not null)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String
                || token.GetString() is not { Length: > 0 } accessToken)
            {
                return null;
            }
            return new TokenGrant(accessToken, ExpiresInOf(root), root.TryGetProperty("token_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// How long a token is reused: <c>expires_in</c> less a margin of 10% of it, at most 60 s, so a token is replaced
    /// before it runs out; one hour when the answer does not say; not at all when it says zero or less.
    /// </summary>
    public TimeSpan CacheFor()
    {
        if (ExpiresIn is not { } seconds)
        {
            return TimeSpan.FromHours(1);
        }
        if (seconds <= 0)
        {
            return TimeSpan.Zero;
        }
        return TimeSpan.FromSeconds(seconds - Math.Min(seconds * 0.1, 60));
    }

    /// <summary><c>expires_in</c> as a number, or as a numeric string as some providers send it.</summary>
    private static double? ExpiresInOf(JsonElement root)
    {
        if (!root.TryGetProperty("expires_in", out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
