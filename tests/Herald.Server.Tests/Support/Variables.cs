using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Support;

/// <summary>Arrange steps for organization variables.</summary>
public static class Variables
{
    /// <summary>Creates or replaces the caller's variable <paramref name="key"/>.</summary>
    public static async Task SetVariableAsync(this HttpClient client, string key, string value, bool secret = false)
    {
        var body = new JsonObject { ["type"] = secret ? "SecretString" : "String", ["value"] = value };
        var response = await client.PutJsonAsync($"/v1/environments/{key}", body.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, $"setting {key} answered {(int)response.StatusCode}");
    }
}
