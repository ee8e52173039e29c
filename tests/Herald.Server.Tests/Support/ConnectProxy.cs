using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Herald.Server.Tests.Support;

/// <summary>One tunnel request as the proxy saw it.</summary>
public sealed record ProxiedConnect(string RequestLine, string Target, string? ProxyAuthorization);

/// <summary>
/// A small HTTP CONNECT proxy on a loopback socket: it records each request head, opens a TCP connection to the
/// CONNECT target, answers 200 and pipes bytes both ways until either side closes. It answers anything but CONNECT
/// with 405, a target it cannot reach with 502, and every CONNECT with <see cref="RefuseWith"/> when that is set.
/// </summary>
public sealed class ConnectProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ProxiedConnect> _seen = new();
    private readonly Task _accepting;

    private ConnectProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public static ConnectProxy Start() => new();

    /// <summary>The proxy's URL, with <paramref name="credentials"/> (<c>user:password</c>) as its user info when given.</summary>
    public Uri Url(string? credentials = null) =>
        new($"http://{(credentials is null ? "" : credentials + "@")}127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int? RefuseWith { get; set; }

    public IReadOnlyList<ProxiedConnect> Seen => _seen.ToArray();

    private async Task AcceptAsync()
    {
        await _listener.AcceptEachAsync(client => _ = Task.Run(() => HandleAsync(client)), _stop.Token);
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        var downstream = client.GetStream();
        try
        {
            var head = await ReadHeadAsync(downstream);
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            var authorization = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))?["Proxy-Authorization:".Length..].Trim();
            _seen.Enqueue(new ProxiedConnect(lines[0], parts.Length > 1 ? parts[1] : "", authorization));
            if (parts[0] != "CONNECT")
            {
                await AnswerAsync(downstream, "405 Method Not Allowed");
                return;
            }
            if (RefuseWith is { } refusal)
            {
                await AnswerAsync(downstream, $"{refusal} Refused");
                return;
            }
            using var upstream = new TcpClient();
            try
            {
                var target = IPEndPoint.Parse(parts[1]);
                await upstream.ConnectAsync(target, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or FormatException)
            {
                await AnswerAsync(downstream, "502 Bad Gateway");
                return;
            }
            await AnswerAsync(downstream, "200 Connection Established");
            var up = upstream.GetStream();
            await Task.WhenAny(downstream.CopyToAsync(up, _stop.Token), up.CopyToAsync(downstream, _stop.Token));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("closed before the end of the request head");
            }
            head.Append((char)one[0]);
        }
        return head.ToString(0, head.Length - 4);
    }

    private static Task AnswerAsync(Stream stream, string status) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n\r\n")).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
