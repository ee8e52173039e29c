using System.Net;
using System.Net.Sockets;

namespace Herald.Testing;

/// <summary>
/// A TCP relay between Herald and PostgreSQL that counts round trips (linked into the delivery benchmark and the server tests): on each connection, every time the server
/// answers after the client has sent something, one round trip. A client that sends several statements before
/// reading (a batch, a pipeline) makes one. Only for counting: it costs the benchmark process CPU and adds latency.
/// </summary>
internal sealed class RoundTripProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private long _roundTrips;
    private Task _accepting = Task.CompletedTask;

    private RoundTripProxy(IPEndPoint server) => _server = server;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Round trips counted so far, over every connection.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public static RoundTripProxy Start(int serverPort)
    {
        var proxy = new RoundTripProxy(new IPEndPoint(IPAddress.Loopback, serverPort));
        proxy._listener.Start();
        proxy._accepting = proxy.AcceptAsync();
        return proxy;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        client.NoDelay = true;
        server.NoDelay = true;
        try
        {
            await server.ConnectAsync(_server, _stop.Token);
            // 1 while the client has sent since the server last answered.
            var clientSpoke = 0;
            var up = Pump(client.GetStream(), server.GetStream(), () => Volatile.Write(ref clientSpoke, 1));
            var down = Pump(server.GetStream(), client.GetStream(), () =>
            {
                if (Interlocked.Exchange(ref clientSpoke, 0) == 1)
                {
                    Interlocked.Increment(ref _roundTrips);
                }
            });
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to, Action onData)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                onData();
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            // One side closed: close the other so the peer sees it.
            try
            {
                to.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
