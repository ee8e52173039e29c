using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Contract;

/// <summary>
/// Receivers (and a token endpoint) that answer what no well-behaved server would: JSON with half of a UTF-16
/// character escaped, nesting ten thousand deep, a number past any double, thousands of properties, a body at and past
/// the recording cap, a JSON content type on text, odd <c>Retry-After</c> values, odd status codes. Each event ends as
/// its status code says (retries off), with its attempt recorded and readable, and is sent once: no answer may turn
/// into an internal error that sends the event again.
/// </summary>
public class HostileReceiverScenarios : ReceiverScenario
{
    private static readonly (string What, int Code, string Body, string ContentType, string? RetryAfter, string Status)[] Answers =
    [
        ("half of a character in a JSON string", 200, """{"a":"\ud800"}""", "application/json", null, "succeeded"),
        ("half of a character in a JSON property name", 200, """{"\udc00":1}""", "application/json", null, "succeeded"),
        ("half of a character, refused", 400, """{"error":"x\ud800y"}""", "application/json", null, "failed"),
        ("ten thousand nested arrays", 200, new string('[', 10_000) + new string(']', 10_000), "application/json", null, "succeeded"),
        ("a number past any double", 200, """{"n":1e400,"m":-1e400}""", "application/json", null, "succeeded"),
        ("5,000 properties", 200, "{" + string.Join(",", Enumerable.Range(0, 5_000).Select(i => $"\"p{i}\":{i}")) + "}", "application/json", null, "succeeded"),
        ("text under a JSON content type", 200, "not json at all", "application/json", null, "succeeded"),
        ("an empty body under a JSON content type", 200, "", "application/json", null, "succeeded"),
        ("a body of exactly the recording cap", 200, "{\"a\":\"" + new string('x', 64 * 1024 - 8) + "\"}", "application/json", null, "succeeded"),
        ("a body one byte past the recording cap", 200, "{\"a\":\"" + new string('x', 64 * 1024 - 7) + "\"}", "application/json", null, "succeeded"),
        ("Retry-After: -1", 503, "{}", "application/json", "-1", "failed"),
        ("Retry-After far off", 429, "{}", "application/json", "99999999999999999999", "failed"),
        ("Retry-After that is no date", 503, "{}", "application/json", "tomorrow, maybe", "failed"),
        ("status 299", 299, "{}", "application/json", null, "succeeded"),
        ("status 399", 399, "{}", "application/json", null, "failed"),
        ("status 418", 418, "{}", "application/json", null, "failed"),
        ("status 599", 599, "{}", "application/json", null, "failed"),
    ];

    /// <summary>Each answer in turn, each to a config of its own (one app for all: an app per answer cost seconds each).</summary>
    [Fact]
    public async Task Each_event_ends_as_its_status_says_with_its_attempt_recorded_and_is_sent_once()
    {
        var failures = new List<string>();
        for (var i = 0; i < Answers.Length; i++)
        {
            var (what, code, body, contentType, retryAfter, status) = Answers[i];
            var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, "\"retryPolicy\":{\"enabled\":false}");
            var headers = retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter };
            Receiver.Enqueue(new Answer.Status(code, body, contentType, headers));

            var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();

            try
            {
                var ended = await Client.EventWithStatusAsync(configId, eventId, status);
                var attempts = await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct);
                var recorded = await attempts.Content.ReadAsStringAsync(Ct);
                if (ended["http_response"]?["status_code"]?.GetValue<int>() != code || attempts.StatusCode != HttpStatusCode.OK
                    || recorded.Contains("INTERNAL_ERROR", StringComparison.Ordinal) || Receiver.Received.Count != i + 1)
                {
                    failures.Add($"{what}: {ended["http_response"]?.ToJsonString()}, attempts {(int)attempts.StatusCode}, {Receiver.Received.Count - i} requests");
                }
            }
            catch (TimeoutException e)
            {
                failures.Add($"{what}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// An attempt whose record the database refuses for what it holds (a trigger of this test's refuses the receiver's
    /// words, standing for any text a database cannot take) is recorded without the receiver's answer and the request
    /// sent: the event ends as the answer says, in the same commit as its job, so that no lease runs out to send it
    /// again. Before, the job kept its lease, the receiver got the event again after each expiry, and the event ended
    /// failed after <c>Delivery:MaxLeaseExpiries</c>.
    /// </summary>
    [Fact]
    public async Task An_attempt_the_database_refuses_to_record_is_recorded_without_the_answer_and_sent_once()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, "\"retryPolicy\":{\"enabled\":false}");
        await RefuseAnswersAsync("refuse-me");
        Receiver.Enqueue(new Answer.Status(200, "refuse-me, please", "text/plain"));

        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();

        var ended = await Client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal(200, ended["http_response"]!["status_code"]!.GetValue<int>());
        Assert.StartsWith("The database refused this attempt's record", ended["http_response"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var attempt = Assert.Single((await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync())["data"]!.AsArray());
        Assert.Equal(200, attempt!["status_code"]!.GetValue<int>());
        Assert.DoesNotContain("refuse-me,", attempt.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(0L, Convert.ToInt64(await App.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(Receiver.Received);
        Assert.Contains(App.Logs.Lines, l => l.Message.Contains($"event {eventId}: the database refused the attempt's record", StringComparison.Ordinal));
    }

    /// <summary>Has the database refuse every attempt or event's answer holding <paramref name="words"/>, from outside Herald.</summary>
    protected virtual Task RefuseAnswersAsync(string words) => App.ExecuteSqlAsync($"""
        CREATE TRIGGER refuse_attempts BEFORE INSERT ON delivery_attempts WHEN NEW.message LIKE '%{words}%' OR NEW.response_excerpt LIKE '%{words}%'
        BEGIN SELECT RAISE(ABORT, 'attempt refused'); END;
        CREATE TRIGGER refuse_events BEFORE UPDATE ON webhook_events WHEN NEW.http_response LIKE '%{words}%'
        BEGIN SELECT RAISE(ABORT, 'answer refused'); END;
        """);

    /// <summary>
    /// A token endpoint whose answer holds half of a UTF-16 character in its <c>access_token</c>: no usable token, so the
    /// attempt fails as a token failure, and the receiver is never called.
    /// </summary>
    [Fact]
    public async Task A_token_that_is_half_a_character_fails_the_attempt_as_a_token_failure()
    {
        var tokenEndpoint = new Uri(Receiver.Url, "/token");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, "\"retryPolicy\":{\"enabled\":false},"
            + $$$"""
              "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"clientId":"c","clientSecret":"s","endpoint":"{{{tokenEndpoint}}}","httpMethod":"POST"}}
              """);
        Receiver.Enqueue(new Answer.Status(200, """{"access_token":"\ud800","token_type":"Bearer","expires_in":60}"""));

        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();

        var ended = await Client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.NotEqual("INTERNAL_ERROR", ended["http_response"]!["code"]?.GetValue<string>());
        Assert.All(Receiver.Received, r => Assert.Equal("/token", r.Path));
    }
}

/// <summary>The same answers with Herald on PostgreSQL.</summary>
public sealed class PostgresHostileReceiverScenarios(PostgresServer server) : HostileReceiverScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();

    // Declared on the partitioned tables, the triggers are on each of their day partitions.
    protected override Task RefuseAnswersAsync(string words) => App.ExecuteSqlAsync($$"""
        CREATE FUNCTION refuse_answers() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'answer refused'; END $$;
        CREATE TRIGGER refuse_attempts BEFORE INSERT ON delivery_attempts FOR EACH ROW
            WHEN (NEW.message LIKE '%{{words}}%' OR NEW.response_excerpt LIKE '%{{words}}%') EXECUTE FUNCTION refuse_answers();
        CREATE TRIGGER refuse_events BEFORE UPDATE ON webhook_events FOR EACH ROW
            WHEN (NEW.http_response LIKE '%{{words}}%') EXECUTE FUNCTION refuse_answers();
        """);
}
