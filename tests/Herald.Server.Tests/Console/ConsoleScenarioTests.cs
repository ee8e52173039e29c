using System.Text;
using Herald.Server.Tests.Support;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Console;

/// <summary>The console driven in headless Chromium, end to end, against a real Herald and a real receiver.</summary>
public sealed class ConsoleScenarioTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_webhook_is_created_edited_tested_logged_replayed_and_transformed_through_the_console()
    {
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, HeraldApp.TokenA);

        // Create with Basic auth; the signing secret is shown once.
        await page.GetByRole(AriaRole.Link, new() { Name = "New webhook" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Orders to ERP");
        await page.GetByLabel("Event", new() { Exact = true }).FillAsync("order_created");
        await page.GetByLabel("URL", new() { Exact = true }).FillAsync(new Uri(browser.Receiver.Url, "hooks").ToString());
        await page.GetByLabel("Auth type").SelectOptionAsync("BASIC");
        await page.GetByLabel("Username").FillAsync("erp");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("s3cret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        var secret = await page.GetByLabel("Signing secret").InputValueAsync();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to the webhook" }).ClickAsync();
        var configId = page.Url.Split('/').Last();
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // Edit: the name changes, the write-only password is kept (the delivery below still carries it).
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).First.ClickAsync();
        Assert.Equal("", await page.GetByLabel("Password", new() { Exact = true }).InputValueAsync());
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Orders to ERP (edited)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await page.GetByText("Saved.").WaitForAsync();
        Assert.Equal("Orders to ERP (edited)", await page.Locator("h1").InnerTextAsync());

        // The list, with its search.
        await page.GotoAsync("/console/webhooks?q=edited");
        await page.GetByRole(AriaRole.Link, new() { Name = "Orders to ERP (edited)" }).WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, "webhooks.png"), FullPage = true });
        await page.GotoAsync("/console/webhooks?q=nothing-like-this");
        await page.GetByText("No webhook matches").WaitForAsync();

        // Send a test event: the receiver gets it with Basic auth; the page shows the outcome and the signature headers
        // that were sent, as the receiver got them, and every other header with the credentials redacted.
        var eventId = await SendTestEventAsync(page, configId);
        var first = browser.Receiver.Received.Single();
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("erp:s3cret"));
        Assert.Equal(basic, first.Header("authorization"));
        Assert.Equal(WebhookSteps.MessageIdOf(eventId), await page.Locator("#signature-headers dd").First.InnerTextAsync());
        Assert.Equal(first.Header("webhook-id"), WebhookSteps.MessageIdOf(eventId));
        foreach (var name in (string[])["webhook-id", "webhook-timestamp", "webhook-signature"])
        {
            Assert.Equal(first.Header(name), await HeaderShownAsync(page.Locator("#signature-headers"), name));
        }
        var sent = page.GetByLabel("Headers sent", new() { Exact = true });
        Assert.Equal(first.Header("webhook-signature"), await HeaderShownAsync(sent, "webhook-signature"));
        Assert.Equal(first.Header("user-agent"), await HeaderShownAsync(sent, "user-agent"));
        Assert.Equal("Basic [redacted]", await HeaderShownAsync(sent, "authorization"));
        AssertNoCredential(await page.ContentAsync(), basic);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, "test-event.png"), FullPage = true });

        // The event log lists it; its page shows the payload and the attempt, in the browser's time zone.
        await page.GotoAsync($"/console/webhooks/{configId}/events");
        await page.GetByRole(AriaRole.Link, new() { Name = eventId }).ClickAsync();
        await page.GetByText("Payload (as sent)").WaitForAsync();
        var attempt = page.Locator("details.attempt").First;
        StringAssert(await attempt.Locator("summary").InnerTextAsync(), "deliver", "HTTP 200");
        // The attempt shows the request it sent: the receiver's headers, the credentials redacted.
        var attemptHeaders = attempt.GetByLabel("Request headers of deliver attempt 1");
        foreach (var name in (string[])["webhook-id", "webhook-timestamp", "webhook-signature", "content-type"])
        {
            Assert.Equal(first.Header(name), await HeaderShownAsync(attemptHeaders, name));
        }
        Assert.Equal("Basic [redacted]", await HeaderShownAsync(attemptHeaders, "authorization"));
        StringAssert(await attempt.InnerTextAsync(), "POST " + new Uri(browser.Receiver.Url, "hooks"));
        AssertNoCredential(await page.ContentAsync(), basic);
        var time = page.Locator("time[data-local]").First;
        Assert.NotEqual(await time.GetAttributeAsync("datetime"), await time.InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, "event.png"), FullPage = true });

        // Replay it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay", Exact = true }).ClickAsync();
        await page.GetByText("Replay queued").WaitForAsync();
        await Eventually.ReturnsAsync(() => Task.FromResult(browser.Receiver.Received.Count), n => n == 2, "the replay to arrive");

        // Batch-replay two events, re-applying the transform.
        var second = await SendTestEventAsync(page, configId);
        await page.GotoAsync($"/console/webhooks/{configId}/events");
        await page.GetByLabel($"Select event {eventId}").CheckAsync();
        await page.GetByLabel($"Select event {second}").CheckAsync();
        await page.GetByLabel("Re-apply the current filters and transform").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay selected" }).ClickAsync();
        await page.GetByText("Queued 2 of 2 selected events").WaitForAsync();
        await Eventually.ReturnsAsync(() => Task.FromResult(browser.Receiver.Received.Count), n => n == 5, "the batch replay to arrive");

        // The playground evaluates as you type, and shows where an expression is wrong.
        await page.GotoAsync($"/console/webhooks/{configId}/playground");
        var expression = page.GetByLabel("JSONata expression");
        await expression.FillAsync("{\"total\": 40 + 2, \"event\": $keys($)[0]}");
        await page.Locator("[data-result]").Filter(new() { HasText = "\"total\": 42" }).WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, "playground.png"), FullPage = true });
        await expression.FillAsync("{\"total\": }");
        await page.Locator("[data-status]").Filter(new() { HasText = "Error (at position" }).WaitForAsync();
        StringAssert(await page.Locator("[data-result]").InnerTextAsync(), "S0", "^");

        // Variables: create a secret one (its value never comes back), then delete it.
        await page.GotoAsync("/console/variables");
        await page.GetByLabel("Key").FillAsync("erp_password");
        await page.GetByLabel("Type").SelectOptionAsync("SecretString");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync("hunter2-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create variable" }).ClickAsync();
        await page.GetByText("Created erp_password.").WaitForAsync();
        Assert.DoesNotContain("hunter2-secret", await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete erp_password" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete variable" }).ClickAsync();
        await page.GetByText("Deleted erp_password.").WaitForAsync();
        Assert.Equal(0, await page.Locator("td", new() { HasText = "erp_password" }).CountAsync());

        // Sign out: the session is over.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByText("You are signed out.").WaitForAsync();
        await page.GotoAsync($"/console/webhooks/{configId}");
        Assert.Contains("/console/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_gets_a_clear_message()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/console/signin");
        await page.GetByLabel("API token").FillAsync("not-a-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        StringAssert(await page.Locator("#signin-error").InnerTextAsync(), "Herald does not accept this token");
        Assert.Contains("/console/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_fit_a_375_pixel_wide_screen()
    {
        var page = await browser.NewPageAsync(375, 740);
        await ConsoleBrowser.SignInAsync(page, HeraldApp.TokenA);
        foreach (var path in new[] { "/console/webhooks", "/console/webhooks/new", "/console/variables" })
        {
            await page.GotoAsync(path);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 375, $"{path} is {width} px wide at a 375 px viewport");
        }

        // The headers sent, long signatures among them, wrap too. The config points at a closed port, so the class's
        // receiver gets nothing; the failed attempt still keeps the request it sent.
        var (configId, _) = await browser.App.Client().CreateConfigAsync(new Uri("http://127.0.0.1:1/hooks"), """
            "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"mobile-key-value"}}
            """);
        await page.GotoAsync($"/console/webhooks/{configId}/test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        Assert.Equal("[redacted]", await HeaderShownAsync(page.GetByLabel("Headers sent", new() { Exact = true }), "x-api-key"));
        var eventId = (await page.Locator("#outcome a.code").InnerTextAsync()).Trim();
        await AssertFitsAsync(page, "the test event page");
        await page.GotoAsync($"/console/webhooks/{configId}/events/{eventId}");
        Assert.StartsWith("v1", await HeaderShownAsync(page.GetByLabel("Request headers of deliver attempt 1"), "webhook-signature"), StringComparison.Ordinal);
        await AssertFitsAsync(page, "the event page");
        Assert.DoesNotContain("mobile-key-value", await page.ContentAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 375, $"{what} is {width} px wide at a 375 px viewport");
    }

    private static async Task<string> SendTestEventAsync(IPage page, string configId)
    {
        await page.GotoAsync($"/console/webhooks/{configId}/test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        var outcome = page.Locator("#outcome");
        await outcome.WaitForAsync();
        StringAssert(await outcome.InnerTextAsync(), "succeeded", "HTTP 200");
        return (await outcome.Locator("a.code").InnerTextAsync()).Trim();
    }

    /// <summary>The value a list of headers (a <c>dl</c> of names and values) shows for <paramref name="name"/>.</summary>
    private static async Task<string> HeaderShownAsync(ILocator list, string name) =>
        (await list.Locator($"xpath=./dt[normalize-space()='{name}']/following-sibling::dd[1]").InnerTextAsync()).Trim();

    private static void AssertNoCredential(string html, string basic)
    {
        Assert.DoesNotContain("s3cret", html, StringComparison.Ordinal);
        Assert.DoesNotContain(basic["Basic ".Length..], html, StringComparison.Ordinal);
    }

    private static void StringAssert(string text, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.Contains(part, text, StringComparison.Ordinal);
        }
    }
}
