using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Herald.Server.Console;

/// <summary>
/// Where the console reaches Herald's API: <c>Console:ApiBaseUrl</c>, or this process's own first listening address
/// (http preferred), with a wildcard host replaced by loopback.
/// </summary>
public sealed class ApiAddress(ConsoleOptions options, IServer server)
{
    private Uri? _resolved;

    public Uri BaseAddress => _resolved ??= Resolve();

    private Uri Resolve()
    {
        if (!string.IsNullOrWhiteSpace(options.ApiBaseUrl))
        {
            return new Uri(options.ApiBaseUrl.TrimEnd('/') + "/");
        }
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The console cannot tell where Herald listens; set Console:ApiBaseUrl");
        return new Uri(Loopback(chosen).TrimEnd('/') + "/");
    }

    /// <summary>Replaces a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) by the matching loopback address.</summary>
    public static string Loopback(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal) + 3;
        var rest = address[schemeEnd..];
        string host;
        string tail;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = rest[..(close + 1)];
            tail = rest[(close + 1)..];
        }
        else
        {
            var colon = rest.IndexOfAny([':', '/']);
            host = colon < 0 ? rest : rest[..colon];
            tail = colon < 0 ? "" : rest[colon..];
        }
        var replaced = host switch
        {
            "0.0.0.0" or "+" or "*" => "127.0.0.1",
            "[::]" => "[::1]",
            _ => host,
        };
        return address[..schemeEnd] + replaced + tail;
    }
}
