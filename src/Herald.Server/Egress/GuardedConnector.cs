using System.Net;
using System.Net.Sockets;

namespace Herald.Server.Egress;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> that enforces the <see cref="DestinationGuard"/>: it resolves
/// the host itself, vets every address, and connects to a vetted address only, so no second DNS lookup can swap in
/// another address (no rebinding window).
/// </summary>
public sealed class GuardedConnector(DestinationGuard guard, TimeSpan connectTimeout, TimeProvider time)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var vetted = await VetAsync(guard, endpoint.Host, cancellationToken);

        using var deadline = new CancellationTokenSource(connectTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Exception? last = null;
        foreach (var address in vetted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), timeout.Token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                last = e;
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"Connecting to {endpoint.Host}:{endpoint.Port} took longer than {connectTimeout.TotalSeconds:0.#} s", e);
                }
            }
        }
        throw last!;
    }

    /// <summary>The host's addresses that the guard allows; throws <see cref="DestinationBlockedException"/> when none is.</summary>
    public static async Task<IReadOnlyList<IPAddress>> VetAsync(DestinationGuard guard, string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var vetted = addresses.Where(guard.IsAllowed).ToList();
        return vetted.Count > 0 ? vetted : throw new DestinationBlockedException(host, addresses);
    }
}
