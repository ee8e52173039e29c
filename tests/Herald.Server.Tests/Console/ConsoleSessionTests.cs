using System.Net;
using System.Text.RegularExpressions;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Console;

/// <summary>The console's session, forms and headers, over plain HTTP (no browser needed).</summary>
public sealed partial class ConsoleSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        await using var app = new HeraldApp();
        var (client, cookies) = await SignedInAsync(app);

        var page = await client.GetStringAsync("/console/variables", Ct);
        var form = new Dictionary<string, string> { ["_handler"] = "create", ["key"] = "no_token", ["type"] = "String", ["value"] = "v" };
        var refused = await client.PostAsync("/console/variables", new FormUrlEncodedContent(form), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/v1/environments/no_token", Ct)).StatusCode);

        // The same post with the page's token is accepted, so the refusal above is the token's doing.
        form["__RequestVerificationToken"] = TokenOf(page);
        var accepted = await client.PostAsync("/console/variables", new FormUrlEncodedContent(form), Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync("/v1/environments/no_token", Ct)).StatusCode);

        // Signing out without the token is refused too.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/console/signout", new FormUrlEncodedContent([]), Ct)).StatusCode);
        Assert.NotNull(cookies.GetCookies(new Uri(app.BaseAddress, "/console/")).FirstOrDefault(c => c.Name == "herald_console"));
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_strict_and_holds_no_token_in_clear()
    {
        await using var app = new HeraldApp();
        var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        var signIn = await client.GetAsync("/console/signin", Ct);
        var csrfCookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("herald_console_csrf", StringComparison.Ordinal)).Split(';')[0];
        var request = new HttpRequestMessage(HttpMethod.Post, "/console/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin", ["token"] = HeraldApp.TokenA, ["__RequestVerificationToken"] = TokenOf(await signIn.Content.ReadAsStringAsync(Ct)),
            }),
        };
        request.Headers.Add("Cookie", csrfCookie);
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("herald_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(HeraldApp.TokenA, Uri.UnescapeDataString(session), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(HeraldApp.TokenA)), session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_pages_carry_security_headers_and_cannot_be_framed_unless_configured()
    {
        await using var app = new HeraldApp();
        using var client = app.Client(null);
        var page = await client.GetAsync("/console/signin", Ct);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());

        await using var embedded = new HeraldApp(new Dictionary<string, string?> { ["Console:FrameAncestors"] = "https://app.example.com" });
        var framed = await embedded.Client(null).GetAsync("/console/signin", Ct);
        Assert.EndsWith("frame-ancestors https://app.example.com", framed.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(framed.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task Console_Enabled_false_serves_no_console()
    {
        await using var app = new HeraldApp(new Dictionary<string, string?> { ["Console:Enabled"] = "false" });
        using var client = app.Client(null);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/signin", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/v1/webhooks/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_transform_extension_answers_the_result_or_the_error_with_its_position()
    {
        await using var app = new HeraldApp();
        var client = app.Client();
        var ok = await client.PostJsonAsync("/v1/webhooks/transform", """{"expression":"{\"sum\": a + 1}","input":{"a":41}}""");
        Assert.Equal(42, (await ok.ReadAsync())["result"]!["sum"]!.GetValue<int>());
        var bad = await client.PostJsonAsync("/v1/webhooks/transform", """{"expression":"{\"sum\": }","input":{}}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = await bad.ReadAsync();
        Assert.True(error["position"]!.GetValue<int>() > 0);
        Assert.StartsWith("expression:", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync("/v1/webhooks/transform", """{"input":{}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client(null).PostJsonAsync("/v1/webhooks/transform", """{"expression":"1"}""")).StatusCode);
        Assert.Equal(HeraldApp.OrgB, (await (await app.Client(HeraldApp.TokenB).GetAsync("/v1/webhooks/me", Ct)).ReadAsync())["org_id"]!.GetValue<string>());
    }

    private static async Task<(HttpClient Client, CookieContainer Cookies)> SignedInAsync(HeraldApp app)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.BaseAddress };
        var page = await client.GetStringAsync("/console/signin", Ct);
        var response = await client.PostAsync("/console/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["token"] = HeraldApp.TokenA, ["__RequestVerificationToken"] = TokenOf(page),
        }), Ct);
        Assert.EndsWith("/console/webhooks", response.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        return (client, cookies);
    }

    private static string TokenOf(string html) => WebUtility.HtmlDecode(RequestToken().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex RequestToken();
}
