using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Herald.Server.Hosting;

/// <summary>
/// A listening address another process holds is an operator's mistake, not a crash: Herald says so in one line
/// naming the address and <c>--urls</c>, and exits with code 1. The addresses are tried before anything starts
/// (workers included), so nothing else is printed; a port taken between that check and Kestrel's own bind is caught
/// from the start and reported the same way, after the host's own log lines.
/// </summary>
public static class ListenCheck
{
    public const int ExitCode = 1;

    /// <summary>The first configured address whose port is taken, or null. Only for Kestrel and the <c>urls</c> setting it reads.</summary>
    public static string? TakenAddress(WebApplication app)
    {
        if (app.Services.GetService<IServer>()?.GetType().Assembly != typeof(KestrelServerOptions).Assembly)
        {
            return null;
        }
        foreach (var url in Addresses(app.Configuration))
        {
            if (IsTaken(url))
            {
                return url;
            }
        }
        return null;
    }

    /// <summary>The line printed for a taken address.</summary>
    public static string Explain(string address) =>
        $"Herald cannot listen on {address}: address already in use. Stop the process that holds it, or choose another "
        + "address with --urls (for example --urls http://127.0.0.1:5081, or the urls setting / ASPNETCORE_URLS).";

    /// <summary>Runs the app; a bind that fails on a taken address ends it with <see cref="ExitCode"/> and one line.</summary>
    public static int Run(WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            System.Console.Error.WriteLine(Explain(AddressIn(e.Message)));
            return ExitCode;
        }
    }

    /// <summary>Kestrel's endpoints when configured (they replace <c>urls</c>), else <c>urls</c>, else <c>http_ports</c>.</summary>
    private static IEnumerable<string> Addresses(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints");
        if (endpoints.Exists())
        {
            return endpoints.GetChildren().Select(e => e["Url"]).OfType<string>();
        }
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return (configuration["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(port => $"http://*:{port}");
    }

    private static bool IsTaken(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false; // Kestrel reports a malformed address itself.
        }
        if (address.IsUnixPipe || address.Port == 0)
        {
            return false;
        }
        return EndPoints(address.Host, address.Port).Any(Taken);
    }

    /// <summary>What Kestrel binds for a host: the address itself, both loopbacks for localhost, else every interface.</summary>
    private static IEnumerable<IPEndPoint> EndPoints(string host, int port)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            return [new IPEndPoint(ip, port)];
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.IPv6Loopback, port)];
        }
        return [new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port)];
    }

    private static bool Taken(IPEndPoint endPoint)
    {
        try
        {
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.Bind(endPoint);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            // Not available here (no IPv6, a foreign address, a privileged port): Kestrel decides and reports.
            return false;
        }
    }

    /// <summary>The address in Kestrel's "Failed to bind to address http://...: address already in use." message.</summary>
    private static string AddressIn(string message)
    {
        const string prefix = "Failed to bind to address ";
        var start = message.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return "the configured address";
        }
        start += prefix.Length;
        var end = message.IndexOf(": address already in use", start, StringComparison.OrdinalIgnoreCase);
        return end > start ? message[start..end] : message[start..].TrimEnd('.');
    }
}
