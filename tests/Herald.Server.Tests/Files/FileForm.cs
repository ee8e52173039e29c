using System.Text;
using Herald.Server.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Herald.Server.Tests.Files;

/// <summary>One part of a received multipart form.</summary>
public sealed record FormPart(string Name, string? FileName, string? ContentType, byte[] Content)
{
    public string Text => Encoding.UTF8.GetString(Content);
}

/// <summary>Reads a received multipart/form-data body with ASP.NET Core's own reader.</summary>
public static class FileForm
{
    public static async Task<IReadOnlyList<FormPart>> PartsAsync(ReceivedRequest request)
    {
        var type = MediaTypeHeaderValue.Parse(request.Header("content-type"));
        Assert.Equal("multipart/form-data", type.MediaType.Value);
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(request.Body)) { BodyLengthLimit = null };
        var parts = new List<FormPart>();
        while (await reader.ReadNextSectionAsync(TestContext.Current.CancellationToken) is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content, TestContext.Current.CancellationToken);
            parts.Add(new FormPart(
                HeaderUtilities.RemoveQuotes(disposition.Name).Value!,
                HeaderUtilities.RemoveQuotes(disposition.FileName).Value,
                section.ContentType,
                content.ToArray()));
        }
        return parts;
    }
}
