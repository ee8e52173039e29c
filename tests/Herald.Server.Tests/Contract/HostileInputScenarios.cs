using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Contract;

/// <summary>
/// Every operation of the OpenAPI document Herald serves, sent a valid request and then that request broken one part
/// at a time: each value of its body (at any depth) replaced by a value of another kind, an empty one, a 100 KB string,
/// control characters or 300 nested arrays; each property left out; each property the operation's schema declares set
/// to such values; the whole body replaced by other JSON, malformed JSON or nothing; the body sent under other content
/// types or none; each path and query parameter replaced by odd text. No answer may be a 5xx, and every 4xx must carry
/// <c>{"message"}</c>, but for the bare 400 with which Kestrel refuses a path holding <c>%00</c> before Herald sees the
/// request. Afterwards the node is still ready and still delivers. Beside the sweep: text holding U+0000, which
/// PostgreSQL cannot store, in requests, payloads and receivers' answers, and an answer's excerpt cut at an emoji.
/// </summary>
public class HostileInputScenarios : ReceiverScenario
{
    /// <summary>Values of every kind, each put where the valid request has something else.</summary>
    private static readonly (string Name, Func<JsonNode?> Make)[] Hostile =
    [
        ("null", () => null),
        ("true", () => JsonValue.Create(true)),
        ("0", () => JsonValue.Create(0)),
        ("-1", () => JsonValue.Create(-1)),
        ("1e308", () => JsonValue.Create(1e308)),
        ("0.5", () => JsonValue.Create(0.5)),
        ("an empty string", () => JsonValue.Create("")),
        ("a 100 KB string", () => JsonValue.Create(new string('x', 100_000))),
        ("control characters", () => JsonValue.Create("\u0000\u0001\u001f\u007f")),
        ("an emoji", () => JsonValue.Create("\U0001F600")),
        ("[]", () => new JsonArray()),
        ("[null]", () => new JsonArray((JsonNode?)null)),
        ("{}", () => new JsonObject()),
        // Deeper than this test's own JSON nodes may be: a marker, written out as the nested arrays (Text).
        ("300 nested arrays", () => JsonValue.Create(DeepMarker)),
    ];

    private const string DeepMarker = "@@300-nested-arrays@@";

    /// <summary>The body as sent: <see cref="DeepMarker"/> becomes 300 nested arrays.</summary>
    private static string Text(JsonNode node) =>
        node.ToJsonString().Replace($"\"{DeepMarker}\"", new string('[', 300) + new string(']', 300), StringComparison.Ordinal);

    /// <summary>Whole bodies that are not the object an operation takes.</summary>
    private static readonly (string Name, string Body)[] HostileBodies =
    [
        ("null", "null"), ("an array", "[]"), ("a string", "\"x\""), ("a number", "1"), ("malformed JSON", "{\"a\":"),
        ("an empty body", ""), ("an empty object", "{}"), ("a repeated property", "{\"a\":1,\"a\":2}"),
    ];

    /// <summary>Content types other than JSON's (null: none), each sent with the valid body.</summary>
    private static readonly string?[] HostileContentTypes =
        [null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/json; charset=\"", "*/*"];

    /// <summary>Odd text for a path or query parameter, as it goes on the wire.</summary>
    private static readonly string[] HostileParameters =
        ["", "x", "0", "-1", "99999999999999999999", "true", new string('a', 300), "%00", "..%2F..", "%F0%9F%98%80", "%25", "a%20b"];

    [Fact]
    public async Task No_operation_answers_broken_input_with_a_5xx_and_every_4xx_names_what_is_wrong()
    {
        var document = await (await Client.GetAsync("/openapi/v1.json", Ct)).ReadAsync();
        var ids = await ArrangeAsync();
        var failures = new List<string>();
        var sent = 0;

        var operations = Operations(document).OrderBy(o => o.Method == "DELETE").ToList();
        Assert.True(operations.Count >= 25, $"the served document lists {operations.Count} operations");
        foreach (var operation in operations)
        {
            var valid = ValidBody(operation.Id, ids);
            var path = ValidPath(operation.Path, operation.Id, ids);
            var schema = BodySchema(document, operation.Node);

            async Task SendAsync(string what, string url, string? body, string? contentType = "application/json")
            {
                sent++;
                if (await CheckAsync(operation.Method, url, body, contentType) is { } failure)
                {
                    failures.Add($"{operation.Id} ({what}): {failure}");
                }
            }

            // The parameters, broken one at a time, with the valid body.
            foreach (var name in operation.PathParameters)
            {
                foreach (var odd in HostileParameters.Where(p => p.Length > 0))
                {
                    var broken = ValidPath(operation.Path.Replace("{" + name + "}", odd, StringComparison.Ordinal), operation.Id, ids);
                    await SendAsync($"path {name} = {Short(odd)}", broken, valid?.ToJsonString());
                }
            }
            foreach (var name in operation.QueryParameters)
            {
                foreach (var odd in HostileParameters)
                {
                    await SendAsync($"query {name} = {Short(odd)}", $"{path}?{name}={odd}", valid?.ToJsonString());
                }
            }
            if (operation.Method == "DELETE")
            {
                continue;
            }
            if (valid is null && schema is null)
            {
                await SendAsync("as it is", path, null);
                continue;
            }

            // The valid request, then its body broken.
            await SendAsync("the valid request", path, valid?.ToJsonString() ?? "{}");
            foreach (var (name, body) in HostileBodies)
            {
                await SendAsync($"body {name}", path, body);
            }
            foreach (var contentType in HostileContentTypes)
            {
                await SendAsync($"Content-Type {contentType ?? "absent"}", path, valid?.ToJsonString() ?? "{}", contentType);
            }
            var start = valid ?? new JsonObject();
            foreach (var (where, broken) in Mutations(start))
            {
                await SendAsync(where, path, Text(broken));
            }
            foreach (var property in DeclaredProperties(schema).Where(p => start is not JsonObject o || !o.ContainsKey(p)))
            {
                foreach (var (name, make) in Hostile)
                {
                    var body = start.DeepClone().AsObject();
                    body[property] = make();
                    await SendAsync($"{property} = {name}", path, Text(body));
                }
            }
        }

        Assert.True(sent > 1000, $"only {sent} requests were sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests were answered wrongly:\n" + string.Join("\n", failures.Take(40)));

        // The node is unharmed: ready, and a new config's event is delivered.
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/ready", Ct)).StatusCode);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await Client.EventWithStatusAsync(configId, eventId, "succeeded");
    }

    /// <summary>Request headers Herald reads, each given odd values in turn (replacing the client's own).</summary>
    private static readonly (string Name, string[] Values)[] HostileHeaders =
    [
        ("Authorization", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + new string('a', 6000), "Bearer a.b.c", "Bearer ..", "Bearer eyJhbGciOiJub25lIn0.e30.", "bearer x y"]),
        (IdempotencyHeader, ["", " ", new string('k', 256), "a\tb", "k, k"]),
        ("Accept", ["application/xml", "*/*;q=abc", "", "text/html;;;"]),
        ("Accept-Encoding", ["gzip;q=2", "br, zstd, x-unknown", ""]),
        ("traceparent", ["", "00-zz-zz-01", "ff-" + new string('f', 500), "00-00000000000000000000000000000000-0000000000000000-01"]),
        ("tracestate", [string.Join(",", Enumerable.Range(0, 600).Select(i => $"k{i}=v"))]),
        ("baggage", [string.Join(",", Enumerable.Range(0, 600).Select(i => $"k{i}=v")), "=;;=,,"]),
        ("X-Forwarded-For", ["not an address", "::ffff:999.1.1.1"]),
        ("X-Forwarded-Proto", ["gopher"]),
        ("Content-Encoding", ["gzip", "x-unknown"]),
    ];

    private const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>
    /// Every operation but the deletes, sent its valid request with one of the headers Herald (or the framework under it)
    /// reads set to odd values: a missing or malformed credential, an odd <c>Idempotency-Key</c>, trace context and
    /// baggage past any sense, forwarding headers, a body said to be compressed. No answer may be a 5xx, and every 4xx
    /// must carry <c>{"message"}</c>.
    /// </summary>
    [Fact]
    public async Task No_operation_answers_hostile_headers_with_a_5xx_and_every_4xx_names_what_is_wrong()
    {
        var document = await (await Client.GetAsync("/openapi/v1.json", Ct)).ReadAsync();
        var ids = await ArrangeAsync();
        var failures = new List<string>();
        var sent = 0;
        foreach (var operation in Operations(document).Where(o => o.Method != "DELETE"))
        {
            var body = ValidBody(operation.Id, ids)?.ToJsonString() ?? (operation.Method is "POST" or "PUT" ? "{}" : null);
            var path = ValidPath(operation.Path, operation.Id, ids);
            foreach (var (name, values) in HostileHeaders)
            {
                foreach (var value in values)
                {
                    sent++;
                    if (await CheckAsync(operation.Method, path, body, "application/json", (name, value)) is { } failure)
                    {
                        failures.Add($"{operation.Id} ({name}: {Short(value)}): {failure}");
                    }
                }
            }
        }

        Assert.True(sent > 500, $"only {sent} requests were sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests were answered wrongly:\n" + string.Join("\n", failures.Take(40)));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/ready", Ct)).StatusCode);
    }

    /// <summary>
    /// A payload holds U+0000 (NUL), and so does the receiver's answer, JSON and text: the events are delivered with the
    /// character escaped in their JSON, their attempts recorded (the text answer with U+FFFD in its place: PostgreSQL's
    /// text cannot hold U+0000), and they end as the status codes say.
    /// </summary>
    [Theory]
    [InlineData(200, "succeeded")]
    [InlineData(400, "failed")]
    public async Task NUL_characters_in_a_payload_and_in_a_receivers_answer_are_delivered_and_recorded(int code, string status)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, "\"retryPolicy\":{\"enabled\":false}");
        Receiver.Enqueue(
            new Answer.Status(code, "{\"note\":\"a\\u0000b\",\"a\\u0000key\":1}"),
            new Answer.Status(code, "plain a\u0000b", "text/plain"));
        const string payload = """{"metadata":{},"entity":{"_id":"e-1","note":"x\u0000y"}}""";

        var json = (await Client.TriggerAsync(configId, payload))["event_id"]!.GetValue<string>();
        var withJson = await Client.EventWithStatusAsync(configId, json, status);
        var text = (await Client.TriggerAsync(configId, payload))["event_id"]!.GetValue<string>();
        var withText = await Client.EventWithStatusAsync(configId, text, status);

        Assert.Equal("a\u0000b", withJson["http_response"]!["body"]!["note"]!.GetValue<string>());
        Assert.Equal("plain a\uFFFDb", withText["http_response"]!["message"]!.GetValue<string>());
        var attempts = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{text}/attempts", Ct)).ReadAsync();
        Assert.Contains("plain a\uFFFDb", attempts.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.All(Receiver.Received, r => Assert.Contains("x\\u0000y", Encoding.UTF8.GetString(r.Body)));
    }

    /// <summary>
    /// A receiver's long answer whose recorded excerpt (2,048 characters) would end in the middle of a character made of
    /// two UTF-16 code units (an emoji at the cut) is recorded, and the event ends.
    /// </summary>
    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    public async Task An_answer_cut_in_the_middle_of_a_character_is_recorded(string contentType)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var text = new string('a', 2047) + "\U0001F600" + new string('b', 100);
        Receiver.Enqueue(new Answer.Status(200, contentType == "text/plain" ? text : $"{{\"t\":\"{text[..2040]}\U0001F600\"}}", contentType));

        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();

        await Client.EventWithStatusAsync(configId, eventId, "succeeded");
        var attempts = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync();
        Assert.Contains("aaaa", attempts.ToJsonString());
    }

    /// <summary>
    /// A config, a variable or a search holding U+0000 is refused with a 400 that names the field, on either engine,
    /// and nothing is written.
    /// </summary>
    [Fact]
    public async Task Text_holding_NUL_is_refused_naming_the_field()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var cases = new (string Method, string Url, string Body, string Field)[]
        {
            ("POST", "/v1/webhooks/configs", $$$"""{"name":"n","eventName":"e","url":"{{{Receiver.Url}}}","filter":{"keyToFilter":"k","supportedValues":["a","b\u0000"]}}""", "filter.supportedValues[1]"),
            ("PUT", $"/v1/webhooks/configs/{configId}", $$$"""{"name":"n\u0000","eventName":"e","url":"{{{Receiver.Url}}}"}""", "name"),
            ("POST", "/v1/webhooks/configs", $$$"""{"name":"n","eventName":"e","url":"{{{Receiver.Url}}}","x\u0000":1}""", "a property name of the body"),
            ("POST", "/v1/environments", """{"key":"k1","type":"String","value":"v\u0000"}""", "value"),
            ("POST", "/v1/webhooks/events", """{"eventName":"e\u0000","payload":{}}""", "eventName"),
            ("POST", $"/v2/webhooks/configs/{configId}/events", """{"event_id":"\u0000"}""", "event_id"),
            ("POST", $"/v1/webhooks/configs/{configId}/events/replay-batch", """{"eventIds":["a\u0000"],"reapply_transform":false}""", "eventIds[0]"),
        };
        foreach (var (method, url, body, field) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = Json.Body(body) };
            var response = await Client.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {url} answered {(int)response.StatusCode}");
            Assert.Equal($"{field} must not contain the character U+0000 (NUL)", await response.MessageAsync());
        }
        var listed = await Client.GetAsync("/v1/webhooks/configs?eventName=a%00b", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, listed.StatusCode);
        Assert.Equal("eventName must not contain the character U+0000 (NUL)", await listed.MessageAsync());

        var configs = await (await Client.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync();
        Assert.Single(configs.AsArray());
        Assert.Equal("Receiver", configs[0]!["name"]!.GetValue<string>());
    }

    /// <summary>What is wrong with the answer to one request, or null when nothing is.</summary>
    private async Task<string?> CheckAsync(string method, string url, string? body, string? contentType, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null && method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }
        if (header is var (name, value))
        {
            // Content-Encoding goes with a body's headers (none without a body), every other with the request's.
            System.Net.Http.Headers.HttpHeaders? headers = name.StartsWith("Content-", StringComparison.Ordinal) ? request.Content?.Headers : request.Headers;
            headers?.Remove(name);
            headers?.TryAddWithoutValidation(name, value);
        }
        using var response = await Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"{method} {Short(url)} answered {status}: {Short(text)}";
        }
        if (status == 400 && text.Length == 0 && new Uri(Client.BaseAddress!, url).AbsolutePath.Contains("%00", StringComparison.Ordinal))
        {
            // Kestrel refuses a path that decodes to a NUL while it parses the request line, before any of Herald's code
            // runs, with a bare 400 (README, Limits): a 4xx without a message that Herald cannot give one.
            return null;
        }
        if (status >= 400)
        {
            string? message = null;
            try
            {
                message = JsonNode.Parse(text) is JsonObject o && o["message"] is JsonValue v && v.TryGetValue<string>(out var m) ? m : null;
            }
            catch (System.Text.Json.JsonException)
            {
            }
            if (string.IsNullOrWhiteSpace(message))
            {
                return $"{method} {Short(url)} answered {status} without a message: {Short(text)}";
            }
        }
        return null;
    }

    private sealed record Ids(string ConfigId, string SpareConfigId, string EventId, string VariableKey);

    /// <summary>A config with an event delivered, a second config for updates and deletes, and a variable.</summary>
    private async Task<Ids> ArrangeAsync()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var (spare, _) = await Client.CreateConfigAsync(Receiver.Url);
        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await Client.EventWithStatusAsync(configId, eventId, "succeeded");
        var variable = await Client.PostJsonAsync("/v1/environments", """{"key":"hostile_input_var","type":"String","value":"v"}""");
        Assert.True(variable.IsSuccessStatusCode, $"creating the variable answered {(int)variable.StatusCode}: {await variable.Content.ReadAsStringAsync(Ct)}");
        return new Ids(configId, spare, eventId, "hostile_input_var");
    }

    /// <summary>The path with the arranged ids in place of its parameters (updates and deletes get the spare config).</summary>
    private static string ValidPath(string path, string operationId, Ids ids) => path
        .Replace("{configId}", operationId is "updateConfig" or "deleteConfig" or "rotateSigningSecret" ? ids.SpareConfigId : ids.ConfigId, StringComparison.Ordinal)
        .Replace("{eventId}", ids.EventId, StringComparison.Ordinal)
        .Replace("{key}", ids.VariableKey, StringComparison.Ordinal);

    /// <summary>A body each operation accepts, or null for one that takes none.</summary>
    private JsonObject? ValidBody(string operationId, Ids ids) => operationId switch
    {
        "createConfig" or "updateConfig" => Json.Obj($$$"""
            {"name":"hostile","eventName":"hostile_created","url":"{{{Receiver.Url}}}","enabled":true,"httpMethod":"POST",
             "auth":{"authType":"BASIC","basicAuthConfig":{"username":"u","password":"p"}},
             "filter":{"keyToFilter":"entity.kind","supportedValues":["a","b"]},
             "payloadConfiguration":{"include_relations":false,"custom_headers":{"x-one":"1"}},
             "retryPolicy":{"enabled":true,"maxAttempts":3},
             "filterConditions":{"logical_operator":"AND","conditions":[{"field":"entity.amount","operation":"equals","values":["1"],"field_type":"number"}]},
             "jsonataExpression":"$","rateLimit":10}
            """),
        "triggerWebhook" => Json.Obj("""{"metadata":{"action":"created"},"entity":{"_id":"e-1","kind":"a","amount":1}}"""),
        "fanOutEvent" => Json.Obj("""{"eventName":"hostile_fan_out","payload":{"metadata":{},"entity":{"_id":"f-1"}}}"""),
        "getWebhookExample" => Json.Obj("""{"automation_id":"a-1"}"""),
        "getWebhookEventsV2" => Json.Obj("""{"limit":10,"timestamp":{"from":"2026-01-01T00:00:00Z","to":"2027-01-01T00:00:00Z"},"status":"succeeded"}"""),
        "recoverEvents" => Json.Obj("""{"since":"2026-02-28T00:00:00Z","until":"2026-03-02T00:00:00Z"}"""),
        "heraldEvaluateTransform" => Json.Obj("""{"expression":"$.a + 1","input":{"a":1}}"""),
        "createEnvironmentVariable" => Json.Obj("""{"key":"hostile_new_var","type":"String","value":"v"}"""),
        "updateEnvironmentVariable" => Json.Obj("""{"key":"hostile_input_var","type":"String","value":"w"}"""),
        "replayEvent" => Json.Obj("""{"reapply_transform":false}"""),
        "batchReplayEvents" => Json.Obj($$"""{"eventIds":["{{ids.EventId}}"],"reapply_transform":false}"""),
        _ => null,
    };

    /// <summary>
    /// The body with one part broken: each value at any depth (the first item of an array) replaced by each hostile
    /// value, and each property left out.
    /// </summary>
    private static IEnumerable<(string Where, JsonNode Body)> Mutations(JsonNode start)
    {
        foreach (var (where, replace, remove) in Places(start, "$"))
        {
            foreach (var (name, make) in Hostile)
            {
                var body = start.DeepClone();
                replace(body, make());
                yield return ($"{where} = {name}", body);
            }
            if (remove is not null)
            {
                var body = start.DeepClone();
                remove(body);
                yield return ($"{where} left out", body);
            }
        }
    }

    /// <summary>Every place below <paramref name="node"/>: how to put a value there in a copy, and how to remove it.</summary>
    private static IEnumerable<(string Where, Action<JsonNode, JsonNode?> Replace, Action<JsonNode>? Remove)> Places(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    var where = $"{path}.{name}";
                    Func<JsonNode, JsonObject> parent = root => (JsonObject)Resolve(root, path);
                    yield return (where, (root, value) => parent(root)[name] = value, root => parent(root).Remove(name));
                    if (child is not null)
                    {
                        foreach (var deeper in Places(child, where))
                        {
                            yield return deeper;
                        }
                    }
                }
                break;
            case JsonArray { Count: > 0 } array:
                var first = $"{path}[0]";
                yield return (first, (root, value) => ((JsonArray)Resolve(root, path))[0] = value, null);
                if (array[0] is { } item)
                {
                    foreach (var deeper in Places(item, first))
                    {
                        yield return deeper;
                    }
                }
                break;
        }
    }

    /// <summary>The node at <paramref name="path"/> (<c>$</c>, <c>.name</c>, <c>[0]</c>) below <paramref name="root"/>.</summary>
    private static JsonNode Resolve(JsonNode root, string path)
    {
        var node = root;
        foreach (var step in path[1..].Replace("[0]", ".[0]", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = step == "[0]" ? node.AsArray()[0]! : node.AsObject()[step]!;
        }
        return node;
    }

    private sealed record Operation(string Id, string Method, string Path, JsonObject Node, IReadOnlyList<string> PathParameters, IReadOnlyList<string> QueryParameters);

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "patch" or "delete") || node is not JsonObject op)
                {
                    continue;
                }
                var parameters = op["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
                yield return new Operation(
                    op["operationId"]!.GetValue<string>(), method.ToUpperInvariant(), path, op,
                    parameters.Where(p => p["in"]!.GetValue<string>() == "path").Select(p => p["name"]!.GetValue<string>()).ToList(),
                    parameters.Where(p => p["in"]!.GetValue<string>() == "query").Select(p => p["name"]!.GetValue<string>()).ToList());
            }
        }
    }

    private static JsonObject? BodySchema(JsonNode document, JsonObject operation) =>
        operation["requestBody"]?["content"]?["application/json"]?["schema"] is JsonObject schema ? Dereference(document, schema) : null;

    private static JsonObject Dereference(JsonNode document, JsonObject schema) =>
        schema["$ref"] is JsonValue reference
            ? document["components"]!["schemas"]![reference.GetValue<string>()["#/components/schemas/".Length..]]!.AsObject()
            : schema;

    private static IEnumerable<string> DeclaredProperties(JsonObject? schema) =>
        schema?["properties"] is JsonObject properties ? properties.Select(p => p.Key) : [];

    private static string Short(string text) => text.Length <= 120 ? text : text[..120] + $"... ({text.Length} characters)";
}

/// <summary>The same requests with Herald on PostgreSQL, whose text cannot hold a NUL character.</summary>
public sealed class PostgresHostileInputScenarios(PostgresServer server) : HostileInputScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
