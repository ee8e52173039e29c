using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Webhooks.Verification.Tests.Support;

/// <summary>What a guarded handler saw: the route, the verified message and the body it read.</summary>
public sealed record Accepted(string Route, VerifiedWebhook? Webhook, string Body);

/// <summary>
/// A receiver as a Herald user would write it: minimal API routes on real Kestrel (a free loopback port), each
/// guarded by <c>RequireHeraldSignature</c>. Handlers record what reached them.
/// </summary>
public sealed class GuardedReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GuardedReceiver(WebApplication app, ConcurrentQueue<Accepted> accepted)
    {
        _app = app;
        AcceptedRequests = accepted;
    }

    public ConcurrentQueue<Accepted> AcceptedRequests { get; }

    public Uri Url { get; private set; } = null!;

    public HttpClient Client() => new() { BaseAddress = Url };

    /// <summary>Starts a receiver whose routes <paramref name="map"/> adds; it gets the queue to record into.</summary>
    public static async Task<GuardedReceiver> StartAsync(Action<WebApplication, ConcurrentQueue<Accepted>> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var accepted = new ConcurrentQueue<Accepted>();
        map(app, accepted);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GuardedReceiver(app, accepted) { Url = new Uri(address) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
