using System.Text.Json.Nodes;
using Herald.Webhooks.Verification.Tests.Support;

namespace Herald.Webhooks.Verification.Tests.Multipart;

/// <summary>The <c>binary_multipart</c> signed content: file hashes and canonical attachments, in part order.</summary>
public sealed class MultipartTests
{
    // The README's worked example ("Signature of binary_multipart").
    private const string ExampleId = "msg_2b9f3c1e8a4d4f0b9c7e6a5d4c3b2a19";
    private const long ExampleTimestamp = 1767225600;
    private const string ExampleSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string ExampleSignature = "v1,Iq6YeSnl+JT2w6I1O3IMI172QjJD6tS9Z8nvRaGNbtU=";
    private const string ExampleAttachment = """{"version_index":0,"size_bytes":5,"readable_size":"5 B","s3ref":{"bucket":"b","key":"hello.txt"},"mime_type":"text/plain","filename":"hello.txt","entity_id":"doc-1"}""";

    private static HeraldWebhookVerifier ExampleVerifier() => TestSigning.Verifier(ExampleTimestamp, secrets: [ExampleSecret]);

    [Fact]
    public void The_readme_example_builds_the_documented_content_and_verifies()
    {
        var file = HeraldSignedFile.FromBytes("hello"u8, HeraldAttachment.FromEventAttachment(ExampleAttachment));

        Assert.Equal(
            """2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.{"entity_id":"doc-1","filename":"hello.txt","mime_type":"text/plain","size_bytes":5,"version_index":0}""",
            HeraldMultipart.SignedContent([file]));
        Assert.Equal("v1", ExampleVerifier().VerifyMultipart(ExampleId, ExampleTimestamp.ToString(), ExampleSignature, [file]).Scheme);
    }

    [Fact]
    public void The_typed_attachment_signs_like_the_event_item()
    {
        var typed = new HeraldAttachment("doc-1", "hello.txt", "text/plain", 5, 0);

        Assert.Equal(HeraldAttachment.FromEventAttachment(ExampleAttachment).CanonicalJson(), typed.CanonicalJson());
        ExampleVerifier().VerifyMultipart(ExampleId, ExampleTimestamp.ToString(), ExampleSignature, [HeraldSignedFile.FromBytes("hello"u8, typed)]);
    }

    [Fact]
    public void Keys_the_event_lacks_are_left_out_and_nested_values_are_sorted()
    {
        var item = JsonNode.Parse("""{"filename":"a b.pdf","entity_id":{"z":1,"a":[{"y":2,"b":3}]},"s3ref":{"bucket":"x","key":"y"}}""")!.AsObject();

        Assert.Equal("""{"entity_id":{"a":[{"b":3,"y":2}],"z":1},"filename":"a b.pdf"}""", HeraldAttachment.FromEventAttachment(item).CanonicalJson());
        Assert.Equal("""{"filename":"a.pdf","size_bytes":7}""", new HeraldAttachment(null, "a.pdf", null, 7, null).CanonicalJson());
    }

    [Fact]
    public void Text_is_written_as_JSON_stringify_writes_it()
    {
        // Only quotes, backslashes, control characters and lone surrogates are escaped; non-ASCII and <, +, & are not.
        Assert.Equal("""{"filename":"Zoë + <a>.pdf"}""", new HeraldAttachment(null, "Zoë + <a>.pdf", null, null, null).CanonicalJson());
    }

    [Fact]
    public void A_changed_file_a_changed_attachment_or_another_part_order_is_a_signature_mismatch()
    {
        var secret = TestSigning.NewSecret();
        var first = HeraldSignedFile.FromBytes("first"u8, new HeraldAttachment("e-1", "1.txt", "text/plain", 5, 0));
        var second = HeraldSignedFile.FromBytes("second"u8, new HeraldAttachment("e-1", "2.txt", "text/plain", 6, 1));
        var content = HeraldMultipart.SignedContent([first, second]);
        Assert.Contains('\n', content);
        var signature = TestSigning.V1(secret, body: content);
        var verifier = TestSigning.Verifier(secrets: [secret]);
        void Verify(params HeraldSignedFile[] files) => verifier.VerifyMultipart(TestSigning.Id, TestSigning.Timestamp.ToString(), signature, files);

        Verify(first, second);
        Assert.Throws<WebhookSignatureMismatchException>(() => Verify(second, first));
        Assert.Throws<WebhookSignatureMismatchException>(() => Verify(first, HeraldSignedFile.FromBytes("secont"u8, second.Attachment)));
        Assert.Throws<WebhookSignatureMismatchException>(() => Verify(first, HeraldSignedFile.FromBytes("second"u8, new HeraldAttachment("e-1", "2.txt", "text/plain", 6, 2))));
        Assert.Throws<WebhookSignatureMismatchException>(() => Verify(first));
    }

    [Fact]
    public async Task A_file_hashed_from_a_stream_equals_one_hashed_in_memory()
    {
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var attachment = new HeraldAttachment("e", "big.bin", "application/octet-stream", bytes.Length, 0);

        var streamed = await HeraldSignedFile.FromStreamAsync(new MemoryStream(bytes), attachment, TestContext.Current.CancellationToken);

        Assert.Equal(HeraldSignedFile.FromBytes(bytes, attachment).ToString(), streamed.ToString());
        Assert.Equal(streamed.ToString(), HeraldSignedFile.FromHash(streamed.Sha256Hex.ToUpperInvariant(), attachment).ToString());
    }

    [Fact]
    public void No_file_and_no_attachment_list_are_refused()
    {
        Assert.Throws<ArgumentException>(() => HeraldMultipart.SignedContent([]));
        Assert.Throws<ArgumentException>(() => HeraldAttachment.ListFromJson("42"));
        Assert.Equal(2, HeraldAttachment.ListFromJson($"[{ExampleAttachment},{ExampleAttachment}]").Count);
    }
}
