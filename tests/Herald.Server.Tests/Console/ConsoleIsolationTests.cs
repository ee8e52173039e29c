using Herald.Server.Tests.Support;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Console;

/// <summary>Signed in for organization B, the console shows nothing of organization A's; without a session, nothing at all.</summary>
public sealed class ConsoleIsolationTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Marker = "alpha-only-marker";

    [Fact]
    public async Task Organization_b_sees_none_of_organization_a_s_configs_events_or_variables_even_by_url()
    {
        var a = browser.App.Client(HeraldApp.TokenA);
        var created = await (await a.PostJsonAsync("/v1/webhooks/configs",
            $$"""{"name":"{{Marker}} config","eventName":"order_created","url":"{{new Uri(browser.Receiver.Url, Marker)}}"}""")).ReadAsync();
        var configId = created["id"]!.GetValue<string>();
        var triggered = await a.TriggerAsync(configId, $$$"""{"metadata":{},"entity":{"_id":"{{{Marker}}}-entity"}}""", sync: true);
        var eventId = triggered["event_id"]!.GetValue<string>();
        (await a.PostJsonAsync("/v1/environments", $$"""{"key":"alpha_var","type":"String","value":"{{Marker}}-value","description":"{{Marker}}"}""")).EnsureSuccessStatusCode();

        var page = await browser.NewPageAsync();
        // The check can fail: A's own session sees the marker on the same pages.
        await ConsoleBrowser.SignInAsync(page, HeraldApp.TokenA);
        await page.GotoAsync($"/console/webhooks/{configId}/events/{eventId}");
        Assert.Contains(Marker, await page.ContentAsync(), StringComparison.Ordinal);

        page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, HeraldApp.TokenB);
        foreach (var path in new[]
        {
            "/console/webhooks", "/console/webhooks?q=alpha", $"/console/webhooks/{configId}", $"/console/webhooks/{configId}/edit",
            $"/console/webhooks/{configId}/events", $"/console/webhooks/{configId}/events/{eventId}", $"/console/webhooks/{configId}/test",
            $"/console/webhooks/{configId}/playground", $"/console/webhooks/{configId}/signing", $"/console/webhooks/{configId}/delete",
            "/console/variables", "/console/variables/alpha_var/delete",
        })
        {
            await page.GotoAsync(path);
            var html = await page.ContentAsync();
            Assert.DoesNotContain(Marker, html, StringComparison.Ordinal);
            Assert.DoesNotContain("-entity", html, StringComparison.Ordinal);
            Assert.Contains("org-b", await page.Locator(".org").InnerTextAsync(), StringComparison.Ordinal);
        }

        // Nor can B act on A's config by posting to its pages.
        await page.GotoAsync($"/console/webhooks/{configId}/delete");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Delete webhook" }).CountAsync());
        Assert.True((await a.GetAsync($"/v1/webhooks/configs/{configId}", TestContext.Current.CancellationToken)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Without_a_session_every_console_url_leads_to_sign_in()
    {
        var page = await browser.NewPageAsync();
        foreach (var path in new[]
        {
            "/console", "/console/webhooks", "/console/webhooks/new", "/console/webhooks/any-id", "/console/webhooks/any-id/edit",
            "/console/webhooks/any-id/events", "/console/webhooks/any-id/events/any-event", "/console/webhooks/any-id/test",
            "/console/webhooks/any-id/playground", "/console/webhooks/any-id/signing", "/console/webhooks/any-id/delete",
            "/console/variables", "/console/variables/x/delete", "/console/no-such-page",
        })
        {
            await page.GotoAsync(path);
            Assert.True(new Uri(page.Url).AbsolutePath == "/console/signin", $"{path} ended at {page.Url}");
            await page.GetByLabel("API token").WaitForAsync();
        }
    }
}
