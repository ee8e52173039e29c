using System.Text;
using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Support;

public static class Json
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Body(JsonNode node) => Body(node.ToJsonString());

    public static async Task<JsonNode> ReadAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
        ?? throw new InvalidOperationException("Empty JSON body");

    public static async Task<string> MessageAsync(this HttpResponseMessage response) =>
        (await response.ReadAsync())["message"]?.GetValue<string>() ?? throw new InvalidOperationException("No message in body");

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, Body(json), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, string json) =>
        client.PutAsync(url, Body(json), TestContext.Current.CancellationToken);
}
