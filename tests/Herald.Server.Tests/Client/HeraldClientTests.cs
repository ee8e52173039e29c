using System.Text.Json.Nodes;
using Herald.Client;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Server.Tests.Client;

/// <summary>The generated client, registered as applications register it, against Herald on a real socket.</summary>
public sealed class HeraldClientTests : ReceiverScenario
{
    private ServiceProvider Services(Action<HeraldClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddHeraldClient(configure);
        return services.BuildServiceProvider();
    }

    private IHeraldClient ClientOf(ServiceProvider services) => services.GetRequiredService<IHeraldClient>();

    [Fact]
    public async Task The_client_creates_lists_triggers_reads_replays_and_deletes_a_config()
    {
        await using var services = Services(o => { o.BaseAddress = App.BaseAddress; o.AccessToken = HeraldApp.TokenA; });
        var herald = ClientOf(services);

        var created = await herald.CreateConfigAsync(new WebhookConfig { Name = "From the client", EventName = "order_created", Url = Receiver.Url.ToString() }, Ct);
        Assert.StartsWith("whsec_", created.SigningSecret);
        Assert.Equal("active", created.Status);

        var listed = await herald.GetConfigsAsync("order_created", Ct);
        Assert.Contains(listed, c => c.Id == created.Id && c.Name == "From the client" && c.SigningSecret is null);

        var payload = new JsonObject { ["metadata"] = new JsonObject(), ["entity"] = new JsonObject { ["_id"] = "order-1", ["total"] = 42 } };
        var outcome = await herald.TriggerWebhookAsync(created.Id!, sync: true, payload, Ct);
        Assert.Equal("succeeded", outcome.Status);
        var delivered = (await Receiver.WaitForAsync(1))[0];
        Assert.Equal(42, JsonNode.Parse(delivered.Text)!["entity"]!["total"]!.GetValue<int>());

        var read = await herald.GetEventByIdAsync(created.Id!, outcome.Event_id, Ct);
        Assert.Equal(outcome.Event_id, read.Event_id);
        Assert.Equal(created.Id, read.Webhook_config_id);
        Assert.Equal("succeeded", read.Status);

        await herald.ReplayEventAsync(created.Id!, outcome.Event_id, new ReplayRequestBody { Reapply_transform = false }, Ct);
        var replayed = (await Receiver.WaitForAsync(2))[1];
        Assert.Equal(delivered.Header("webhook-id"), replayed.Header("webhook-id"));
        var attempts = await Eventually.ReturnsAsync(() => herald.GetEventAttemptsAsync(created.Id!, outcome.Event_id, null, null, Ct), a => a.Data.Count >= 2, "the replay's attempt");
        Assert.Equal(["deliver", "replay"], attempts.Data.OrderBy(a => a.Number).Select(a => a.Kind));

        await herald.DeleteConfigAsync(created.Id!, Ct);
        var gone = await Assert.ThrowsAsync<HeraldApiException<ErrorResp>>(() => herald.GetConfigAsync(created.Id!, Ct));
        Assert.Equal(404, gone.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(gone.Result.Message));
        Assert.DoesNotContain(await herald.GetConfigsAsync(null, Ct), c => c.Id == created.Id);
    }

    [Fact]
    public async Task A_config_read_changed_and_written_back_keeps_its_write_only_secrets()
    {
        await using var services = Services(o => { o.BaseAddress = App.BaseAddress; o.AccessToken = HeraldApp.TokenA; });
        var herald = ClientOf(services);
        var created = await herald.CreateConfigAsync(new WebhookConfig
        {
            Name = "Basic", EventName = "order_created", Url = Receiver.Url.ToString(),
            Auth = new Auth { AuthType = "BASIC", BasicAuthConfig = new BasicAuthConfig { Username = "hook", Password = "s3cret" } },
        }, Ct);

        var read = await herald.GetConfigAsync(created.Id!, Ct);
        Assert.Null(read.Auth!.BasicAuthConfig!.Password);
        read.Name = "Basic, renamed";
        await herald.UpdateConfigAsync(created.Id!, read, Ct);
        await herald.TriggerWebhookAsync(created.Id!, sync: true, new JsonObject { ["entity"] = new JsonObject() }, Ct);

        var delivered = (await Receiver.WaitForAsync(1))[0];
        Assert.Equal("Basic " + Convert.ToBase64String("hook:s3cret"u8.ToArray()), delivered.Header("authorization"));
    }

    [Fact]
    public async Task Herald_extensions_are_operations_of_the_client_too()
    {
        await using var services = Services(o => { o.BaseAddress = App.BaseAddress; o.AccessToken = HeraldApp.TokenA; });
        var herald = ClientOf(services);

        var caller = await herald.HeraldGetCallerAsync(Ct);
        var evaluated = await herald.HeraldEvaluateTransformAsync(new TransformRequest { Expression = "total * 2", Input = new JsonObject { ["total"] = 21 } }, Ct);

        Assert.Equal(HeraldApp.OrgA, caller.Org_id);
        Assert.Equal(42, evaluated.Result!.GetValue<int>());
    }

    [Fact]
    public async Task A_token_provider_is_asked_for_every_call_and_wins_over_a_static_token()
    {
        var asked = 0;
        await using var services = Services(o =>
        {
            o.BaseAddress = App.BaseAddress;
            o.AccessToken = HeraldApp.TokenA;
            o.AccessTokenProvider = (_, _) => { Interlocked.Increment(ref asked); return ValueTask.FromResult(HeraldApp.TokenB); };
        });
        var herald = ClientOf(services);

        var first = await herald.HeraldGetCallerAsync(Ct);
        var second = await herald.HeraldGetCallerAsync(Ct);

        Assert.Equal(HeraldApp.OrgB, first.Org_id);
        Assert.Equal(HeraldApp.OrgB, second.Org_id);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task A_refused_token_is_a_HeraldApiException_with_status_401()
    {
        await using var services = Services(o => { o.BaseAddress = App.BaseAddress; o.AccessToken = "not-a-token"; });

        var refused = await Assert.ThrowsAnyAsync<HeraldApiException>(() => ClientOf(services).GetConfigsAsync(null, Ct));

        Assert.Equal(401, refused.StatusCode);
    }

    [Fact]
    public async Task A_base_address_with_a_path_keeps_its_path()
    {
        // Herald behind a reverse proxy at /herald: the client must call /herald/v1/..., not /v1/...
        await using var services = Services(o => { o.BaseAddress = new Uri(App.BaseAddress, "/herald"); o.AccessToken = HeraldApp.TokenA; });
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(HeraldClient));

        Assert.Equal(new Uri(App.BaseAddress, "/herald/"), http.BaseAddress);
    }

    [Fact]
    public async Task Cancelling_a_call_stops_waiting_for_Herald()
    {
        var release = new TaskCompletionSource();
        Receiver.Default = new Answer.Gated(release.Task);
        await using var services = Services(o => { o.BaseAddress = App.BaseAddress; o.AccessToken = HeraldApp.TokenA; });
        var herald = ClientOf(services);
        var created = await herald.CreateConfigAsync(new WebhookConfig { Name = "Hangs", EventName = "order_created", Url = Receiver.Url.ToString() }, Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => herald.TriggerWebhookAsync(created.Id!, sync: true, new JsonObject(), cancel.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the call went on after it was cancelled");
        release.SetResult();
    }

    [Fact]
    public async Task A_missing_base_address_is_refused_naming_the_option()
    {
        await using var services = Services(o => o.AccessToken = HeraldApp.TokenA);

        var error = Assert.Throws<OptionsValidationException>(() => ClientOf(services));

        Assert.Contains("HeraldClientOptions.BaseAddress", error.Message);
    }
}
