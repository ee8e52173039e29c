using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;
using Herald.Webhooks.Verification.Tests.Support;

namespace Herald.Webhooks.Verification.Tests.Vectors;

/// <summary>
/// The known-answer vectors of <c>../shared/standard-webhooks/test-vectors.json</c>, checked on a clock at each
/// vector's timestamp (skipped with a message when <c>../shared</c> is absent; failed under CI).
/// </summary>
public sealed class KnownAnswerTests
{
    private static JsonObject Vectors() =>
        JsonNode.Parse(File.ReadAllText(Repository.SharedFileOrSkip("standard-webhooks/test-vectors.json")))!.AsObject();

    private static JsonObject Vector(string scheme) =>
        Vectors()["vectors"]!.AsArray().Select(v => v!.AsObject()).First(v => v["scheme"]!.GetValue<string>() == scheme);

    private static string S(JsonNode? node) => node!.GetValue<string>();

    private static long T(JsonNode? node) => node!.GetValue<long>();

    [Fact]
    public void Every_v1_vector_verifies_with_its_secret()
    {
        var v1 = Vectors()["vectors"]!.AsArray().Where(v => S(v!["scheme"]) == "v1").ToList();
        Assert.NotEmpty(v1);
        foreach (var vector in v1)
        {
            var verifier = TestSigning.Verifier(T(vector!["timestamp"]), secrets: [S(vector["secret"])]);

            var verified = verifier.Verify(S(vector["msg_id"]), T(vector["timestamp"]).ToString(), S(vector["expected_signature"]), S(vector["payload"]));

            Assert.Equal(new VerifiedWebhook(S(vector["msg_id"]), DateTimeOffset.FromUnixTimeSeconds(T(vector["timestamp"])), "v1"), verified);
        }
    }

    [Fact]
    public void The_v1_vector_verifies_with_the_bare_base64_secret_too()
    {
        var vector = Vector("v1");
        var verifier = TestSigning.Verifier(T(vector["timestamp"]), secrets: [S(vector["secret_raw_base64"])]);

        Assert.Equal("v1", verifier.Verify(S(vector["msg_id"]), T(vector["timestamp"]).ToString(), S(vector["expected_signature"]), S(vector["payload"])).Scheme);
    }

    [Theory]
    [InlineData("public_key_pem")]
    [InlineData("public_key")]
    public void The_v1a_vector_verifies_with_its_public_key_as_pem_or_whpk(string form)
    {
        var vector = Vector("v1a");
        var verifier = TestSigning.Verifier(T(vector["timestamp"]), publicKeys: [S(vector[form])]);

        var verified = verifier.Verify(S(vector["msg_id"]), T(vector["timestamp"]).ToString(), S(vector["expected_signature"]), Encoding.UTF8.GetBytes(S(vector["payload"])));

        Assert.Equal("v1a", verified.Scheme);
    }

    [Fact]
    public void The_combined_header_verifies_with_the_secret_alone_and_with_the_public_key_alone()
    {
        var example = Vectors()["header_examples"]![0]!;
        var headers = example["headers"]!.AsObject().Select(h => KeyValuePair.Create(h.Key.ToUpperInvariant(), S(h.Value))).ToList();
        var now = long.Parse(S(example["headers"]!["webhook-timestamp"]));
        var body = Encoding.UTF8.GetBytes(S(example["payload"]));

        Assert.Equal("v1", TestSigning.Verifier(now, secrets: [S(Vector("v1")["secret"])]).Verify(headers, body).Scheme);
        Assert.Equal("v1a", TestSigning.Verifier(now, publicKeys: [S(Vector("v1a")["public_key_pem"])]).Verify(headers, body).Scheme);
    }

    [Fact]
    public void The_negative_cases_are_refused_and_a_bad_entry_before_a_good_one_is_not()
    {
        var basic = Vector("v1");
        var cases = Vectors()["negative_cases"]!.AsArray().Select(c => c!.AsObject()).Where(c => c["presented_signature"] is not null).ToList();
        Assert.Equal(4, cases.Count);
        var verifier = TestSigning.Verifier(T(basic["timestamp"]), secrets: [S(basic["secret"])]);
        foreach (var negative in cases)
        {
            var payload = S(negative["payload"] ?? basic["payload"]);
            var timestamp = T(negative["timestamp"] ?? basic["timestamp"]).ToString();
            void Verify() => verifier.Verify(S(basic["msg_id"]), timestamp, S(negative["presented_signature"]), payload);

            if (S(negative["expected"]) == "accept")
            {
                Verify();
            }
            else
            {
                Assert.Throws<WebhookSignatureMismatchException>(Verify);
            }
        }
    }

    [Fact]
    public void The_signatures_of_the_negative_cases_verify_their_own_content()
    {
        // The vectors' other signatures are right for what they cover: the refusals above are for the change alone.
        var basic = Vector("v1");
        var minified = Vectors()["negative_cases"]![0]!;
        var shifted = Vectors()["negative_cases"]![1]!;
        var verifier = TestSigning.Verifier(T(basic["timestamp"]), secrets: [S(basic["secret"])]);

        verifier.Verify(S(basic["msg_id"]), T(basic["timestamp"]).ToString(), S(minified["signature_of_this_payload"]), S(minified["payload"]));
        verifier.Verify(S(basic["msg_id"]), T(shifted["timestamp"]).ToString(), S(shifted["signature_for_this_timestamp"]), S(basic["payload"]));
    }
}
