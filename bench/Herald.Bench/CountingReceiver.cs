using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Herald.Bench;

/// <summary>One signed request kept whole, to check its signatures after the timed part.</summary>
public sealed record SignedSample(string WebhookId, string Timestamp, string Signature, byte[] Body);

/// <summary>
/// The webhook receiver: Kestrel on loopback answering 200 with an empty body, as cheaply as it can. It counts every
/// request, and the distinct <c>webhook-id</c>s it sees; the moment the distinct count reaches the target it notes the
/// time. A request with a <c>webhook-id</c> but without both a <c>v1a</c> and a <c>v1</c> signature is counted as unsigned.
/// </summary>
public sealed class CountingReceiver : IAsyncDisposable
{
    private const int SampleSize = 20;

    private readonly WebApplication _app;
    private ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SignedSample> _samples = new();
    private long _requests;
    private long _unsigned;
    private int _distinct;
    private int _target = int.MaxValue;
    private long _reachedAt;

    private CountingReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public long Requests => Interlocked.Read(ref _requests);

    public long Unsigned => Interlocked.Read(ref _unsigned);

    public int Distinct => Volatile.Read(ref _distinct);

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the distinct count reached the target, or 0.</summary>
    public long ReachedAt => Interlocked.Read(ref _reachedAt);

    public IReadOnlyCollection<string> Ids => (IReadOnlyCollection<string>)_ids.Keys;

    public IReadOnlyList<SignedSample> Samples => _samples.ToArray();

    public static async Task<CountingReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var receiver = new CountingReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First());
        return receiver;
    }

    /// <summary>Forgets everything seen so far and starts counting towards <paramref name="target"/> distinct ids.</summary>
    public void Reset(int target)
    {
        _ids = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        _samples.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _unsigned, 0);
        Interlocked.Exchange(ref _reachedAt, 0);
        Volatile.Write(ref _distinct, 0);
        Volatile.Write(ref _target, target);
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var headers = context.Request.Headers;
        var id = headers["webhook-id"].ToString();
        SignedSample? sample = null;
        if (id.Length > 0)
        {
            var signature = headers["webhook-signature"].ToString();
            if (!signature.Contains("v1a,", StringComparison.Ordinal) || !signature.Contains("v1,", StringComparison.Ordinal) || headers["webhook-timestamp"].Count == 0)
            {
                Interlocked.Increment(ref _unsigned);
            }
            if (_samples.Count < SampleSize)
            {
                sample = new SignedSample(id, headers["webhook-timestamp"].ToString(), signature, []);
            }
        }

        var body = await ReadBodyAsync(context, keep: sample is not null);

        if (id.Length > 0)
        {
            if (sample is not null)
            {
                _samples.Enqueue(sample with { Body = body! });
            }
            if (_ids.TryAdd(id, 0) && Interlocked.Increment(ref _distinct) == Volatile.Read(ref _target))
            {
                Interlocked.Exchange(ref _reachedAt, Stopwatch.GetTimestamp());
            }
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, bool keep)
    {
        var reader = context.Request.BodyReader;
        var kept = keep ? new ArrayBufferWriter<byte>() : null;
        while (true)
        {
            var read = await reader.ReadAsync();
            foreach (var segment in read.Buffer)
            {
                kept?.Write(segment.Span);
            }
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return kept?.WrittenSpan.ToArray();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
