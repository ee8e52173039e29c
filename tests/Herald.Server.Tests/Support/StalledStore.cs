using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Herald.Server.Tests.Support;

/// <summary>
/// An S3 endpoint on a loopback socket that stalls: it records the request line of every request it gets and then
/// either never answers (<see cref="AnswersHeaders"/> false) or answers 200 with a <c>Content-Length</c> of
/// <see cref="AnnouncedBytes"/>, sends the first <see cref="SentBytes"/> of them and goes silent. Connections stay
/// open until the store is disposed, so only the reader's own timeout ends a download.
/// </summary>
public sealed class StalledStore : IAsyncDisposable
{
    public const int AnnouncedBytes = 100_000;
    public const int SentBytes = 1_000;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly Task _accepting;

    public StalledStore(bool answersHeaders)
    {
        AnswersHeaders = answersHeaders;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public bool AnswersHeaders { get; }

    /// <summary>The request lines received (<c>GET /bucket/key HTTP/1.1</c>), in order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    /// <summary>Herald's settings for reading files from this store (the tests' fixed credentials, path-style).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Files:Source"] = "S3",
        ["Files:S3:ServiceUrl"] = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/",
        ["Files:S3:Region"] = "us-east-1",
        ["Files:S3:AccessKey"] = "STALLED",
        ["Files:S3:SecretKey"] = "STALLED",
        ["Files:S3:ForcePathStyle"] = "true",
    };

    /// <summary>Waits (on the real clock) until <paramref name="count"/> requests have arrived.</summary>
    public Task WaitForAsync(int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult(_requests.Count), n => n >= count, $"{count} requests at the stalled store");

    private async Task AcceptAsync()
    {
        await _listener.AcceptEachAsync(client =>
        {
            _connections.Add(client);
            _ = ServeAsync(client);
        }, _stop.Token);
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            _requests.Enqueue(head.ToString()[..head.ToString().IndexOf("\r\n", StringComparison.Ordinal)]);
            if (AnswersHeaders)
            {
                var headers = $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {AnnouncedBytes}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(headers), _stop.Token);
                await stream.WriteAsync(new byte[SentBytes], _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
        _stop.Dispose();
    }
}
