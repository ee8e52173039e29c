using System.Net.Sockets;

namespace Herald.Server.Tests.Support;

/// <summary>The accept loop of the tests' own servers on a loopback <see cref="TcpListener"/>.</summary>
public static class LoopbackAccept
{
    /// <summary>
    /// Hands each accepted connection to <paramref name="accepted"/> until <paramref name="stop"/> is cancelled or the
    /// listener is stopped.
    /// </summary>
    public static async Task AcceptEachAsync(this TcpListener listener, Action<TcpClient> accepted, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            accepted(client);
        }
    }
}
