using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Configs;

/// <summary>
/// The Herald extensions on a config: <c>rateLimit</c> is stored and kept by an update that leaves it out (contract
/// clients do not know it); <c>disabledReason</c> and <c>disabledAt</c> are Herald's alone, ignored in bodies.
/// </summary>
public class HealthFieldsTests : IDisposable
{
    private readonly HeraldApp _app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RateLimit_is_stored_kept_when_an_update_leaves_it_out_and_removed_by_null()
    {
        var client = _app.Client();
        var created = await (await client.PostJsonAsync("/v1/webhooks/configs", """{"name":"n","eventName":"order_created","rateLimit":20}""")).ReadAsync();
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(20, created["rateLimit"]!.GetValue<int>());

        var renamed = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """{"name":"renamed","eventName":"order_created"}""")).ReadAsync();
        Assert.Equal(20, renamed["rateLimit"]!.GetValue<int>());
        var read = await (await client.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync();
        Assert.Equal(20, read["rateLimit"]!.GetValue<int>());

        var changed = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """{"name":"renamed","eventName":"order_created","rateLimit":5}""")).ReadAsync();
        Assert.Equal(5, changed["rateLimit"]!.GetValue<int>());
        var removed = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """{"name":"renamed","eventName":"order_created","rateLimit":null}""")).ReadAsync();
        Assert.Null(removed["rateLimit"]);
    }

    [Fact]
    public async Task DisabledReason_and_disabledAt_in_a_body_are_ignored()
    {
        var client = _app.Client();
        var created = await (await client.PostJsonAsync("/v1/webhooks/configs",
            """{"name":"n","eventName":"order_created","enabled":false,"disabledReason":"mine","disabledAt":"2026-01-01T00:00:00.000Z"}""")).ReadAsync();
        Assert.Null(created["disabledReason"]);
        Assert.Null(created["disabledAt"]);
        var updated = await (await client.PutJsonAsync($"/v1/webhooks/configs/{created["id"]!.GetValue<string>()}",
            """{"name":"n","eventName":"order_created","enabled":false,"disabledReason":"mine"}""")).ReadAsync();
        Assert.Null(updated["disabledReason"]);
    }
}
