using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Client;
using Jsonata;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Packages.Tests;

/// <summary>Herald.Client and Herald.Jsonata as restored from the packed packages.</summary>
public sealed class ClientAndJsonataPackageTests
{
    [Fact]
    public async Task The_client_package_asks_a_listening_server_who_the_caller_is_with_its_bearer_token()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var served = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync().WaitAsync(TestContext.Current.CancellationToken);
            var answer = context.Request.Url!.AbsolutePath == "/v1/webhooks/me" && context.Request.Headers["Authorization"] == "Bearer package-token"
                ? """{"org_id":"org-from-package"}""" : """{"message":"unexpected request"}""";
            context.Response.StatusCode = answer.Contains("org_id", StringComparison.Ordinal) ? 200 : 400;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(answer);
            await context.Response.OutputStream.WriteAsync(bytes, TestContext.Current.CancellationToken);
            context.Response.Close();
        }, TestContext.Current.CancellationToken);
        var services = new ServiceCollection();
        services.AddHeraldClient(o =>
        {
            o.BaseAddress = new Uri($"http://127.0.0.1:{port}");
            o.AccessToken = "package-token";
        });
        using var provider = services.BuildServiceProvider();

        var caller = await provider.GetRequiredService<IHeraldClient>().HeraldGetCallerAsync(TestContext.Current.CancellationToken);
        await served;

        Assert.Equal("org-from-package", caller.Org_id);
    }

    [Fact]
    public void The_jsonata_package_evaluates_an_expression()
    {
        var result = JsonataExpression.Compile("$sum(items.(price * qty))").Evaluate(JsonNode.Parse("""{"items":[{"price":2,"qty":3},{"price":1.5,"qty":2}]}"""));

        Assert.Equal(9.0, result.AsNumber());
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
