using System.Globalization;

namespace Herald.Server.Http;

/// <summary>
/// What one request may take of its node's <see cref="ByteBudget{TKey}"/> for request bodies (<c>Requests</c>
/// settings), as <see cref="JsonBody"/> reads the body: the declared length up front, or the buffer as it grows, and
/// never less than <see cref="MinimumBytes"/>, what a request in flight holds besides its body (so the settings also
/// bound how many requests with bodies an organization has in flight, sync triggers waiting for their receiver among
/// them). The bytes stay taken until the request ends (the parsed body lives as long as its handler), then are given
/// back. A request past its organization's share is answered 429, past the node's bound 503, both with
/// <c>Retry-After</c>, and its body is not read further.
/// </summary>
public sealed class BodyAllowance(ByteBudget<string> budget, string organization) : IDisposable
{
    /// <summary>The key of requests without an organization (no organization id is empty).</summary>
    public const string Unauthenticated = "";

    /// <summary>The <c>Retry-After</c> of a refused body, in seconds: bodies are read and handled in moments.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>The least a request with a body takes: its own state in flight (connection, context, handler), beside the body.</summary>
    public const int MinimumBytes = 8 * 1024;

    private long _taken;

    /// <summary>
    /// Makes this request hold room for a body of <paramref name="length"/> bytes (at least <see cref="MinimumBytes"/>),
    /// taking what it does not hold yet; the answer to give instead when there is no room.
    /// </summary>
    public IResult? Cover(long length, HttpResponse response)
    {
        var bytes = Math.Max(length, MinimumBytes) - _taken;
        if (bytes <= 0)
        {
            return null;
        }
        if (budget.Take(organization, bytes) is not { } bound)
        {
            _taken += bytes;
            return null;
        }
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return bound == ByteBudget<string>.Bound.Organization
            ? Problem.Status(StatusCodes.Status429TooManyRequests,
                $"{Who} already has {budget.HeldBy(organization)} bytes of request bodies in flight on this node, and {bytes} more would pass "
                + $"{RequestOptions.PerOrganizationSetting} ({budget.PerOrganization} bytes); retry after {RetryAfterSeconds} s, send fewer large requests at once, or raise the setting")
            : Problem.Status(StatusCodes.Status503ServiceUnavailable,
                $"This node has {budget.Held} bytes of request bodies in flight, and {bytes} more would pass {RequestOptions.PerNodeSetting} ({budget.PerNode} bytes); "
                + $"retry after {RetryAfterSeconds} s, or raise the setting");
    }

    private string Who => organization == Unauthenticated ? "Unauthenticated callers together" : $"Organization {organization}";

    public void Dispose()
    {
        // A request reads its body once, then ends: nothing takes room while this runs.
        budget.Give(organization, _taken);
        _taken = 0;
    }
}
