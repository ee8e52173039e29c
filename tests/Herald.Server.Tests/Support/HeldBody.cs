using System.Net;

namespace Herald.Server.Tests.Support;

/// <summary>A request body sent but for its last byte until <c>release</c> completes; without a known length it goes chunked.</summary>
public sealed class HeldBody(byte[] bytes, Task release, bool knownLength = true) : HttpContent
{
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
