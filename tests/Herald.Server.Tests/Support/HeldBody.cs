using System.Net;

namespace Herald.Server.Tests.Support;

/// <summary>A request body sent but for its last byte until <c>release</c> completes; without a known length it goes chunked.</summary>
public sealed class HeldBody(byte[] bytes, Task release, bool knownLength = true) : HttpContent
{
    /// <summary>A trigger with <paramref name="token"/> whose body is held so, on a client of its own: it sends the body as it is written.</summary>
    public static Task<HttpResponseMessage> TriggerAsync(HeraldApp app, string token, string configId, byte[] body, Task release, bool knownLength = true)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client.PostAsync($"/v1/webhooks/configs/{configId}/trigger", new HeldBody(body, release, knownLength), TestContext.Current.CancellationToken);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(bytes.AsMemory(0, bytes.Length - 1));
        await stream.FlushAsync();
        await release;
        await stream.WriteAsync(bytes.AsMemory(bytes.Length - 1));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return knownLength;
    }
}
