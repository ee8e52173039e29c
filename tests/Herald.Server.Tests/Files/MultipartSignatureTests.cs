using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Files;
using Herald.Server.Signing;

namespace Herald.Server.Tests.Files;

/// <summary>The README's worked example of the <c>binary_multipart</c> signature, computed with Herald's own parts.</summary>
public sealed class MultipartSignatureTests
{
    [Fact]
    public void The_readme_example_signs_the_hash_and_the_canonical_reference()
    {
        var item = JsonNode.Parse("""
            {"version_index":0,"size_bytes":5,"readable_size":"5 B","s3ref":{"bucket":"b","key":"hello.txt"},"mime_type":"text/plain","filename":"hello.txt","entity_id":"doc-1"}
            """);
        var file = FileReference.From(item, "event_attachments[0]").Reference!;

        var content = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("hello"u8)) + "." + file.CanonicalJson();
        var signed = WebhookSignature.SignedContent("msg_2b9f3c1e8a4d4f0b9c7e6a5d4c3b2a19", 1767225600, Encoding.UTF8.GetBytes(content));

        Assert.Equal("""{"entity_id":"doc-1","filename":"hello.txt","mime_type":"text/plain","size_bytes":5,"version_index":0}""", file.CanonicalJson());
        Assert.Equal("v1,Iq6YeSnl+JT2w6I1O3IMI172QjJD6tS9Z8nvRaGNbtU=", WebhookSignature.V1("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", signed));
    }

    [Fact]
    public void A_reference_without_an_s3ref_names_the_item()
    {
        Assert.Equal("event_attachments[1].s3ref must hold a bucket and a key", FileReference.From(JsonNode.Parse("""{"filename":"x"}"""), "event_attachments[1]").Problem);
    }
}
