using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Authentication;

/// <summary>One organization never sees, changes or deletes another's configs: to it they do not exist.</summary>
public sealed class IsolationTests : IDisposable
{
    private readonly HeraldApp _app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_organizations_config_is_404_for_every_operation_and_absent_from_lists()
    {
        var owner = _app.Client(HeraldApp.TokenA);
        var stranger = _app.Client(HeraldApp.TokenB);
        var id = (await (await owner.PostJsonAsync("/v1/webhooks/configs", """{"name":"mine","eventName":"order_created","url":"https://a.example"}""")).ReadAsync())["id"]!.GetValue<string>();

        var get = await stranger.GetAsync($"/v1/webhooks/configs/{id}", Ct);
        var put = await stranger.PutJsonAsync($"/v1/webhooks/configs/{id}", """{"name":"theirs","eventName":"order_created"}""");
        var delete = await stranger.DeleteAsync($"/v1/webhooks/configs/{id}", Ct);
        var list = await (await stranger.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync();
        var filtered = await (await stranger.GetAsync("/v1/webhooks/configs?eventName=order_created", Ct)).ReadAsync();

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], [get.StatusCode, put.StatusCode, delete.StatusCode]);
        Assert.Empty(list.AsArray());
        Assert.Empty(filtered.AsArray());
        var stillMine = await (await owner.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync();
        Assert.Equal("mine", stillMine["name"]!.GetValue<string>());
    }

    public void Dispose() => _app.Dispose();
}
