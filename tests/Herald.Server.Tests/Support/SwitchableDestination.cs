using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Herald.Server.Tests.Support;

/// <summary>
/// A destination on a real loopback <see cref="TcpListener"/> that counts every connection it accepts and, while
/// <see cref="Down"/>, resets each one at once (the sender sees a connection-level failure); otherwise it reads one
/// HTTP/1.1 request, records its body and answers 200 with <c>Connection: close</c>, so one request is one accept.
/// </summary>
public sealed class SwitchableDestination : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly Task _accepting;
    private int _accepts;

    public SwitchableDestination()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    /// <summary>While true, every connection is reset without an answer.</summary>
    public bool Down { get; set; } = true;

    /// <summary>Connections accepted so far.</summary>
    public int Accepts => Volatile.Read(ref _accepts);

    /// <summary>The bodies of the requests answered, in arrival order.</summary>
    public IReadOnlyList<string> Bodies => _bodies.ToArray();

    private async Task AcceptAsync()
    {
        await _listener.AcceptEachAsync(client =>
        {
            Interlocked.Increment(ref _accepts);
            if (Down)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Close();
                return;
            }
            _ = AnswerAsync(client);
        }, _stop.Token);
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new List<byte>();
            var chunk = new byte[8192];
            int headerEnd;
            while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
            {
                var read = await stream.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }
            var head = Encoding.ASCII.GetString(buffer.ToArray(), 0, headerEnd);
            var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            while (buffer.Count < headerEnd + 4 + length)
            {
                var read = await stream.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }
            _bodies.Enqueue(Encoding.UTF8.GetString(buffer.ToArray(), headerEnd + 4, length));
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8.ToArray(), _stop.Token);
        }
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
