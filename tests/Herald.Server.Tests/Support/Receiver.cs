using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Support;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ArrivedAt)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : throw new KeyNotFoundException(name);
}

/// <summary>How the receiver answers one request.</summary>
public abstract record Answer
{
    public sealed record Status(int Code, string? Body = null, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null) : Answer;

    /// <summary>Never answers; the request ends when the sender gives up.</summary>
    public sealed record Hang : Answer;

    /// <summary>Drops the connection without an answer.</summary>
    public sealed record Reset : Answer;

    /// <summary>Answers <paramref name="Code"/> (empty JSON object) after <paramref name="Delay"/> on the real clock.</summary>
    public sealed record Slow(TimeSpan Delay, int Code = 200) : Answer;

    /// <summary>Answers 200 with <paramref name="Body"/> (an empty JSON object unless given) once <paramref name="Release"/> completes.</summary>
    public sealed record Gated(Task Release, string Body = "{}") : Answer;
}

/// <summary>
/// A webhook receiver on a real loopback socket that records every request and answers from a script: queued
/// answers first, then the default (200 with an empty JSON object).
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Answer> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private int _held;
    private int _inFlight;
    private int _maxInFlight;

    private Receiver(WebApplication app) => _app = app;

    public Answer Default { get; set; } = new Answer.Status(200, "{}");

    /// <summary>How long every answer waits after its request was recorded: a slow receiver.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Requests recorded and not answered yet because of <see cref="Latency"/>.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Requests being handled right now: arrived and not yet answered (or abandoned).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests that were ever in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Received => _received.ToArray();

    public static async Task<Receiver> StartAsync(IPAddress? address = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(address ?? IPAddress.Loopback, 0);
            // File deliveries send bodies far beyond Kestrel's default request cap.
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var bound = app.Urls.First();
        receiver.Url = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal));
        return receiver;
    }

    public void Enqueue(params Answer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    /// <summary>Waits (on the real clock) until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (_received.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrivals.WaitAsync(left))
            {
                throw new TimeoutException($"Expected {count} requests, received {_received.Count}");
            }
        }
        return Received;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); now > max; max = Volatile.Read(ref _maxInFlight))
        {
            Interlocked.CompareExchange(ref _maxInFlight, now, max);
        }
        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray(), DateTimeOffset.UtcNow));
        _arrivals.Release();

        if (Latency > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _held);
            try
            {
                await Task.Delay(Latency, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the sender went away while the receiver was slow
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }

        var answer = _script.TryDequeue(out var next) ? next : Default;
        switch (answer)
        {
            case Answer.Hang:
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                return;
            case Answer.Reset:
                context.Abort();
                return;
            case Answer.Gated gated:
                try
                {
                    await gated.Release.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(gated.Body);
                return;
            case Answer.Slow slow:
                await Task.Delay(slow.Delay, context.RequestAborted);
                context.Response.StatusCode = slow.Code;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{}");
                return;
            case Answer.Status status:
                context.Response.StatusCode = status.Code;
                foreach (var (name, value) in status.Headers ?? new Dictionary<string, string>())
                {
                    context.Response.Headers[name] = value;
                }
                if (status.Body is not null)
                {
                    context.Response.ContentType = status.ContentType;
                    await context.Response.WriteAsync(status.Body);
                }
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(2) is var t ? new CancellationTokenSource(t).Token : default);
        await _app.DisposeAsync();
    }
}
