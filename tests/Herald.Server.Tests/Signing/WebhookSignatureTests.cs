using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Signing;
using Herald.Server.Tests.Support;
using NSec.Cryptography;

namespace Herald.Server.Tests.Signing;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void Signed_content_is_id_dot_timestamp_dot_body()
    {
        var content = WebhookSignature.SignedContent("msg_abc", 1614265330, "{\"a\":1}"u8);

        Assert.Equal("msg_abc.1614265330.{\"a\":1}", Encoding.UTF8.GetString(content));
    }

    [Fact]
    public void The_message_id_is_msg_and_the_event_ids_32_lowercase_hex_digits()
    {
        var id = Guid.Parse("0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f5a6");

        Assert.Equal("msg_0192f3a45b6c7d8e9fa0b1c2d3e4f5a6", WebhookSignature.MessageId(id));
    }

    [Fact]
    public void Every_known_answer_vector_of_the_standard_reproduces()
    {
        var vectors = JsonNode.Parse(File.ReadAllText(Repository.SharedFileOrSkip("standard-webhooks/test-vectors.json")))!["vectors"]!.AsArray();
        var checkedCount = 0;
        foreach (var vector in vectors)
        {
            var content = WebhookSignature.SignedContent(vector!["msg_id"]!.GetValue<string>(), vector["timestamp"]!.GetValue<long>(), Encoding.UTF8.GetBytes(vector["payload"]!.GetValue<string>()));
            Assert.Equal(vector["signed_content"]!.GetValue<string>(), Encoding.UTF8.GetString(content));
            var expected = vector["expected_signature"]!.GetValue<string>();
            switch (vector["scheme"]!.GetValue<string>())
            {
                case "v1":
                    Assert.Equal(expected, WebhookSignature.V1(vector["secret"]!.GetValue<string>(), content));
                    Assert.Equal(expected, WebhookSignature.V1(vector["secret_raw_base64"]!.GetValue<string>(), content));
                    checkedCount++;
                    break;
                case "v1a":
                    using (var key = Key.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(vector["seed_base64"]!.GetValue<string>()), KeyBlobFormat.RawPrivateKey))
                    {
                        Assert.Equal(expected, WebhookSignature.V1a(key, content));
                        Assert.Equal(vector["public_key_pem"]!.GetValue<string>(), PublicKeyPem.Encode(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
                    }
                    checkedCount++;
                    break;
            }
        }
        Assert.True(checkedCount >= 3, $"only {checkedCount} vectors were checked");
    }

    [Fact]
    public void The_header_lists_every_v1a_entry_before_v1()
    {
        using var first = Key.Create(SignatureAlgorithm.Ed25519);
        using var second = Key.Create(SignatureAlgorithm.Ed25519);
        var content = "x"u8.ToArray();

        var header = WebhookSignature.Header([first, second], "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", content);

        var entries = header.Split(' ');
        Assert.Equal(3, entries.Length);
        Assert.StartsWith("v1a,", entries[0]);
        Assert.StartsWith("v1a,", entries[1]);
        Assert.StartsWith("v1,", entries[2]);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(second.PublicKey, content, Convert.FromBase64String(entries[1][4..])));
    }

    [Fact]
    public void Without_a_signing_secret_only_v1a_is_sent()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);

        var header = WebhookSignature.Header([key], (string?)null, "x"u8);

        Assert.DoesNotContain(' ', header);
        Assert.StartsWith("v1a,", header);
    }
}
