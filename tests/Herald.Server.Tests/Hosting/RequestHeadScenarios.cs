using System.Net;
using Herald.Server.Hosting;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Hosting;

/// <summary>
/// <c>Requests:MaxHeaderBytes</c>, <c>Requests:MaxHeaderCount</c> and <c>Requests:MaxUrlBytes</c>: a request head past
/// them is answered 431 or 414 with a message naming the setting, before authentication; Kestrel's own bare answer
/// comes only past twice the setting.
/// </summary>
public sealed class RequestHeadScenarios
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static double Refused(HeraldApp app) => HostGauges.Read(app.Services, RequestBodies.MeterName, "herald.requests.heads_refused");

    private static async Task<string> RefusedMessageAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.ReadAsync())["message"]!.GetValue<string>();
    }

    private static HttpRequestMessage ListConfigs(string header, int valueLength) =>
        new(HttpMethod.Get, "/v1/webhooks/configs") { Headers = { { header, new string('h', valueLength) } } };

    [Fact]
    public async Task Headers_past_the_bound_are_a_431_naming_the_setting_and_headers_within_it_are_served()
    {
        using var app = new HeraldApp();
        var client = app.Client();

        // 30 KiB of headers: within the default 32 KiB.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ListConfigs("X-Trace", 30 * 1024), Ct)).StatusCode);

        // 40 KiB: past Herald's bound, within Kestrel's (twice it), so Herald's own answer.
        var message = await RefusedMessageAsync(await client.SendAsync(ListConfigs("X-Trace", 40 * 1024), Ct), HttpStatusCode.RequestHeaderFieldsTooLarge);
        Assert.Contains("Requests:MaxHeaderBytes (32768)", message);
        Assert.Matches(@"The request's headers take 4\d{4} bytes", message);
        Assert.Equal(1, Refused(app));
    }

    [Fact]
    public async Task A_token_that_makes_the_headers_too_large_is_told_so_before_authentication()
    {
        using var app = new HeraldApp();
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/webhooks/configs");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('t', 40 * 1024));

        var message = await RefusedMessageAsync(await client.SendAsync(request, Ct), HttpStatusCode.RequestHeaderFieldsTooLarge);

        Assert.Contains("Requests:MaxHeaderBytes", message);
    }

    [Fact]
    public async Task More_headers_than_the_bound_are_a_431_naming_the_setting()
    {
        using var app = new HeraldApp();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/webhooks/configs");
        for (var i = 0; i < 120; i++)
        {
            request.Headers.Add($"X-Extra-{i}", "1");
        }

        var message = await RefusedMessageAsync(await app.Client().SendAsync(request, Ct), HttpStatusCode.RequestHeaderFieldsTooLarge);

        Assert.Contains("Requests:MaxHeaderCount (100)", message);
        Assert.Matches(@"The request sent 12\d headers", message);
    }

    [Fact]
    public async Task A_url_past_the_bound_is_a_414_naming_the_setting_and_a_shorter_one_is_served()
    {
        using var app = new HeraldApp();
        var client = app.Client();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/webhooks/configs?x=" + new string('u', 7 * 1024), Ct)).StatusCode);
        var message = await RefusedMessageAsync(await client.GetAsync("/v1/webhooks/configs?x=" + new string('u', 10 * 1024), Ct), HttpStatusCode.RequestUriTooLong);

        Assert.Contains("Requests:MaxUrlBytes (8192)", message);
        Assert.Contains($"is {"/v1/webhooks/configs?x=".Length + 10 * 1024} bytes", message);
        Assert.Equal(1, Refused(app));
    }

    [Fact]
    public async Task Kestrels_own_bounds_follow_the_settings_at_twice_them()
    {
        using var app = new HeraldApp(new Dictionary<string, string?>
        {
            ["Requests:MaxHeaderBytes"] = "4096",
            ["Requests:MaxUrlBytes"] = "1024",
        });
        var client = app.Client();

        // Past the setting: Herald's answer, naming it.
        var message = await RefusedMessageAsync(await client.SendAsync(ListConfigs("X-Trace", 5 * 1024), Ct), HttpStatusCode.RequestHeaderFieldsTooLarge);
        Assert.Contains("Requests:MaxHeaderBytes (4096)", message);
        message = await RefusedMessageAsync(await client.GetAsync("/v1/webhooks/configs?x=" + new string('u', 1500), Ct), HttpStatusCode.RequestUriTooLong);
        Assert.Contains("Requests:MaxUrlBytes (1024)", message);

        // Past twice the setting: Kestrel's own answer, without a body (with a fresh client: Kestrel closes the connection).
        using var fresh = app.Client();
        var bare = await fresh.SendAsync(ListConfigs("X-Trace", 9 * 1024), Ct);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bare.StatusCode);
        Assert.Empty(await bare.Content.ReadAsByteArrayAsync(Ct));
        using var another = app.Client();
        var bareUrl = await another.GetAsync("/v1/webhooks/configs?x=" + new string('u', 3 * 1024), Ct);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, bareUrl.StatusCode);
        Assert.Empty(await bareUrl.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_node_keeps_at_most_its_connections_open_and_takes_another_once_one_closes()
    {
        using var app = new HeraldApp(new Dictionary<string, string?> { ["Requests:MaxConnections"] = "2" });
        var address = app.BaseAddress;
        using var idle1 = new System.Net.Sockets.TcpClient();
        using var idle2 = new System.Net.Sockets.TcpClient();
        await idle1.ConnectAsync(address.Host, address.Port, Ct);
        await idle2.ConnectAsync(address.Host, address.Port, Ct);

        // Two idle connections hold the node's two: a third is closed unanswered.
        await Eventually.ReturnsAsync(async () =>
        {
            using var client = new HttpClient { BaseAddress = address };
            try
            {
                await client.GetAsync("/health/live", Ct);
                return false;
            }
            catch (HttpRequestException)
            {
                return true;
            }
        }, refused => refused, "a third connection to be refused");

        // One closes: the next is served.
        idle1.Close();
        var served = await Eventually.ReturnsAsync(async () =>
        {
            using var client = new HttpClient { BaseAddress = address };
            try
            {
                return (await client.GetAsync("/health/live", Ct)).StatusCode;
            }
            catch (HttpRequestException)
            {
                return (HttpStatusCode?)null;
            }
        }, status => status is not null, "a connection to be served once one closed");
        Assert.Equal(HttpStatusCode.OK, served);
    }

    [Theory]
    [InlineData("Requests:MaxConnections", "0", "Requests:MaxConnections (0) must be from 1 to 1000000")]
    [InlineData("Requests:MaxHeaderBytes", "1000", "Requests:MaxHeaderBytes (1000) must be from 4096 to 1048576 bytes")]
    [InlineData("Requests:MaxHeaderCount", "0", "Requests:MaxHeaderCount (0) must be from 16 to 10000")]
    [InlineData("Requests:MaxUrlBytes", "2000000", "Requests:MaxUrlBytes (2000000) must be from 1024 to 1048576 bytes")]
    public void Bounds_out_of_range_refuse_to_start_naming_the_setting(string setting, string value, string expected)
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { [setting] = value });

        Assert.Contains(expected, error.ToString());
    }
}
