using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Herald.Server.Tests.Support;

/// <summary>
/// A TCP relay on a loopback port to a target (a database server, say) that a test can cut: <see cref="Cut"/> ends
/// every open tunnel and has each new connection closed as soon as it is accepted, as a server that went away would,
/// until <see cref="Restore"/>; <see cref="RefuseNew"/> only closes the new connections; <see cref="LoseNextAnswer"/> loses
/// one answer of the target's.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _tunnels = new();
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly Task _accepting;
    private volatile bool _cut;
    private int _refused;
    private int _loseNextAnswer;

    public TcpRelay(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        _cut = true;
        DropConnections();
    }

    private void DropConnections()
    {
        foreach (var (inbound, outbound) in _tunnels)
        {
            inbound.Dispose();
            outbound.Dispose();
        }
        _tunnels.Clear();
    }

    public void Restore() => _cut = false;

    /// <summary>
    /// The next bytes the target sends, on whichever tunnel, never arrive: the relay drops them and closes that tunnel. A
    /// network that failed after the target got the request and acted on it, say a database that committed a
    /// transaction and whose answer was lost.
    /// </summary>
    public void LoseNextAnswer() => Volatile.Write(ref _loseNextAnswer, 1);

    /// <summary>Closes each new connection as soon as it is accepted, until <see cref="Restore"/>; open tunnels go on.</summary>
    public void RefuseNew() => _cut = true;

    /// <summary>How many connections were closed on arrival, by <see cref="Cut"/> or <see cref="RefuseNew"/>.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private async Task AcceptAsync()
    {
        await _listener.AcceptEachAsync(inbound =>
        {
            if (_cut)
            {
                Interlocked.Increment(ref _refused);
                inbound.Dispose();
                return;
            }
            _ = TunnelAsync(inbound);
        }, _stop.Token);
    }

    private async Task TunnelAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            _tunnels[inbound] = outbound;
            await Task.WhenAny(
                inbound.GetStream().CopyToAsync(outbound.GetStream(), _stop.Token),
                AnswerAsync(inbound, outbound));
        }
        catch (Exception)
        {
            // A cut or a stop ends the tunnel; either side sees its connection closed.
        }
        finally
        {
            _tunnels.TryRemove(inbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    private async Task AnswerAsync(TcpClient inbound, TcpClient outbound)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await outbound.GetStream().ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (Interlocked.Exchange(ref _loseNextAnswer, 0) == 1)
            {
                return;
            }
            await inbound.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
