using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Herald.Bench;

/// <summary>
/// The floor under any webhook service on this machine: a process that takes a POST, answers at once with an id, and
/// forwards the body to the receiver with C forwards in flight, and nothing else. It stores nothing, signs nothing and
/// parses nothing; it is the two HTTP exchanges of a delivery (Kestrel in, <see cref="HttpClient"/> out) on the same
/// cores as the load client and the receiver. Whatever Herald reaches is measured against it too.
/// <c>dotnet Herald.Bench.dll relay --urls=http://127.0.0.1:P --target=URL --concurrency=C</c>
/// </summary>
public static class Relay
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string Setting(string name) => args.FirstOrDefault(a => a.StartsWith($"--{name}=", StringComparison.Ordinal))?[(name.Length + 3)..]
            ?? throw new ArgumentException($"relay needs --{name}=");
        var listen = new Uri(Setting("urls"));
        var target = new Uri(Setting("target"));
        var concurrency = int.Parse(Setting("concurrency"), CultureInfo.InvariantCulture);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, listen.Port, l => l.Protocols = HttpProtocols.Http1);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var pending = Channel.CreateUnbounded<(string Id, byte[] Body)>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = target,
        };

        app.MapGet("/health/ready", () => Results.Ok());
        app.MapPost("/relay", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var id = "msg_" + Guid.NewGuid().ToString("N");
            pending.Writer.TryWrite((id, buffer.ToArray()));
            return Results.Text($$"""{"event_id":"{{id}}"}""", "application/json");
        });

        var forwarders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var (id, body) in pending.Reader.ReadAllAsync())
            {
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
                    message.Headers.TryAddWithoutValidation("webhook-id", id);
                    using var response = await client.SendAsync(message);
                }
                catch (HttpRequestException)
                {
                    // The floor does not retry; a lost forward shows as a run that never completes.
                }
            }
        })).ToArray();

        await app.RunAsync();
        pending.Writer.TryComplete();
        await Task.WhenAll(forwarders);
        return 0;
    }
}
