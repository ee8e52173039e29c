using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Herald.Server.Egress;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> for an egress proxy: it vets the receiver's host with the
/// <see cref="DestinationGuard"/> exactly as a direct delivery does, connects to the operator's proxy (trusted, so
/// not vetted), and opens an HTTP CONNECT tunnel to the vetted address, never to the name, so the proxy cannot
/// resolve it to somewhere else. TLS to the receiver then runs inside the tunnel, checked against the url's host.
/// Tunnelling in the callback (instead of <see cref="SocketsHttpHandler.Proxy"/>) keeps that check at connect time,
/// and sends plain-http receivers through CONNECT too instead of handing the proxy a forward request to resolve.
/// </summary>
public sealed class TunnelConnector(DestinationGuard guard, Uri proxy, TimeSpan connectTimeout, TimeProvider time)
{
    private const int MaxAnswerBytes = 8 * 1024;

    private readonly string? _credentials = string.IsNullOrEmpty(proxy.UserInfo)
        ? null
        : Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(proxy.UserInfo)));

    /// <summary>The proxy without its credentials, for messages.</summary>
    private string Display => $"{proxy.Host}:{proxy.Port}";

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var target = context.DnsEndPoint;
        var vetted = await GuardedConnector.VetAsync(guard, target.Host, cancellationToken);

        using var deadline = new CancellationTokenSource(connectTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        ProxyRefusedException? refused = null;
        foreach (var address in vetted)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var stream = (Stream?)null;
            try
            {
                await socket.ConnectAsync(new DnsEndPoint(proxy.Host, proxy.Port), timeout.Token);
                stream = new NetworkStream(socket, ownsSocket: true);
                await OpenTunnelAsync(stream, new IPEndPoint(address, target.Port), timeout.Token);
                return stream;
            }
            catch (ProxyRefusedException e)
            {
                // The proxy may reach another of the host's addresses (an IPv4 one when IPv6 fails, say).
                refused = e;
                await DisposeAsync(stream, socket);
            }
            catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                await DisposeAsync(stream, socket);
                throw new TimeoutException($"Tunnelling to {target.Host}:{target.Port} through egress proxy {Display} took longer than {connectTimeout.TotalSeconds:0.#} s", e);
            }
            catch
            {
                await DisposeAsync(stream, socket);
                throw;
            }
        }
        throw refused!;
    }

    private async Task OpenTunnelAsync(Stream stream, IPEndPoint target, CancellationToken cancellationToken)
    {
        var authority = target.ToString();
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
        if (_credentials is not null)
        {
            request.Append(CultureInfo.InvariantCulture, $"Proxy-Authorization: Basic {_credentials}\r\n");
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), cancellationToken);

        var statusLine = await ReadAnswerAsync(stream, cancellationToken);
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
        {
            throw new IOException($"Egress proxy {Display} answered CONNECT {authority} with '{statusLine}', which is not HTTP");
        }
        if (status is < 200 or > 299)
        {
            throw new ProxyRefusedException($"Egress proxy {Display} refused CONNECT {authority}: {statusLine}");
        }
    }

    /// <summary>Reads the proxy's answer head byte by byte, so no byte of the tunnel is consumed; returns its status line.</summary>
    private async Task<string> ReadAnswerAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>(256);
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (head.Count >= MaxAnswerBytes)
            {
                throw new IOException($"Egress proxy {Display} sent a CONNECT answer longer than {MaxAnswerBytes} bytes");
            }
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException($"Egress proxy {Display} closed the connection during CONNECT");
            }
            head.Add(one[0]);
        }
        var text = Encoding.ASCII.GetString(head.ToArray());
        return text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
    }

    private static async Task DisposeAsync(Stream? stream, Socket socket)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }
        socket.Dispose();
    }
}

/// <summary>The proxy answered CONNECT with a non-2xx status; a connection error (retryable) for the attempt.</summary>
public sealed class ProxyRefusedException(string message) : IOException(message);
