namespace Herald.Server.ApiDocs;

/// <summary>What one operation does, for the OpenAPI document: a summary line, a description, and whether it is Herald's own.</summary>
public sealed record ApiOperation(string Summary, string Description, bool Extension = false);

/// <summary>
/// The one table of operation texts, by the operationId each route is named with. Routes live in their feature
/// folders; their words live here so that the document can be read (and checked) as a whole.
/// </summary>
public static class ApiOperations
{
    public static readonly IReadOnlyDictionary<string, ApiOperation> ById = new Dictionary<string, ApiOperation>
    {
        ["getPublicKey"] = new("Get an organization's public signing key",
            "Returns the organization's Ed25519 public key that verifies asymmetric (`v1a`) webhook signatures: the newest one. Unauthenticated. "
            + "Herald answers 404 for an organization it keeps no key or config for. `keys` (Herald extension) lists every key that signs now, "
            + "during a key rotation's overlap also the replaced one with its `expires_at`. A key answer carries `Cache-Control: public, max-age=300` "
            + "(Herald extension; less when `Signing:RotationOverlap` is short), so a cached answer is fetched again while a replaced key still signs."),
        ["getConfiguredEvents"] = new("List the events webhooks can subscribe to",
            "The event catalog from Herald's configuration (`Catalog:Events`), including `herald.config.disabled` (Herald extension), "
            + "which Herald triggers in an organization when it disables one of its configs."),
        ["getConfigs"] = new("List webhook configs",
            "All configs of the caller's organization, optionally only those subscribed to `eventName`. The list is streamed whole (the contract has no paging)."),
        ["createConfig"] = new("Create a webhook config",
            "Validates and stores a config. The answer carries `signingSecret` (`whsec_...`) this once; auth secrets are write-only. "
            + "`status` is derived: `incomplete` (with `statusReason`, a Herald extension) when the url or a value its auth type needs is missing."),
        ["getConfig"] = new("Get a webhook config", "One config of the caller's organization, without secrets. An incomplete config carries `statusReason` (Herald extension)."),
        ["updateConfig"] = new("Replace a webhook config",
            "Replaces the config; secrets left out of the body are kept, and so is `rateLimit` (Herald extension). Enabling a config clears "
            + "`disabledReason` and `disabledAt` (Herald extensions). A config changed by another request meanwhile answers 409. "
            + "A protected config needs the `X-Herald-Allow-Protected: true` header (Herald extension)."),
        ["deleteConfig"] = new("Delete a webhook config",
            "Deletes the config; its event history stays readable until retention. A protected config needs the `X-Herald-Allow-Protected: true` header (Herald extension)."),
        ["testOAuth"] = new("Test a config's OAuth client credentials",
            "Runs the token exchange of the saved config's OAuth settings against its endpoint and reports whether a token came back."),
        ["triggerWebhook"] = new("Trigger a webhook",
            "Queues one event for the config and answers its id, or with `sync=true` delivers it at once and answers the outcome. "
            + "Honours an `Idempotency-Key` header (Herald extension)."),
        ["fanOutEvent"] = new("Send an event to every subscribed config",
            "Herald extension. Creates one event for every enabled, active config of the organization subscribed to `eventName`, "
            + "in one transaction, and answers their ids. Honours an `Idempotency-Key` header.", Extension: true),
        ["getWebhookEventsV2"] = new("Search a config's events",
            "Newest first, filtered by status, time range or event id, paged by a keyset cursor."),
        ["getWehookEvents"] = new("List a config's events (deprecated)",
            "The deprecated v1 list, paged by 25 with a base64 cursor; use getWebhookEventsV2."),
        ["getEventById"] = new("Get an event", "One event of the config with its latest outcome (`status`, `http_response`)."),
        ["getEventAttempts"] = new("List an event's delivery attempts",
            "Herald extension. Every HTTP try of the event: number, kind (`deliver` or `replay`), start, duration, status code, outcome code, "
            + "message, a response excerpt, and the request it sent (`request`: method, url and headers, the signature headers among them, "
            + "every credential redacted). Oldest first, at most `limit` (1 to 100, default 100) a page: `has_more` tells whether more follow, "
            + "and `next_cursor`, sent back as `cursor`, reads the next page (an event replayed again and again has as many tries as replays).", Extension: true),
        ["replayEvent"] = new("Replay an event",
            "Sends the event once more with a fresh timestamp and signature, verbatim or with `reapply_transform`; never retried automatically."),
        ["batchReplayEvents"] = new("Replay several events in order",
            "Queues replays of 1 to 100 events of the config, sent one at a time in the given order; answers the ids queued."),
        ["recoverEvents"] = new("Replay a config's failed events in a time window",
            "Herald extension. Takes `since` and optionally `until` (ISO 8601; `until` defaults to now, at most `Recovery:MaxWindow`, 14 days, after `since`) "
            + "and replays, oldest first and one at a time, every event of the config whose status is `failed` and whose `created_at` lies in that window "
            + "(both ends inclusive). Answers 202 at once with `recovered`, the number found; the replays are queued in the background, a page at a time, "
            + "and the recovery resumes after a restart. The same request while its recovery runs answers the same number and starts nothing.", Extension: true),
        ["getWebhookExample"] = new("Get an example payload for a config",
            "The catalog's example for the config's event with the metadata a trigger carries. `_herald_transformed` (Herald extension) "
            + "shows what the config's transform would send."),
        ["heraldGetCaller"] = new("Who the token acts for",
            "Herald extension. Answers the caller's `org_id`, the organization every other call of this token acts for.", Extension: true),
        ["heraldEvaluateTransform"] = new("Evaluate a JSONata expression",
            "Herald extension. Evaluates `expression` against `input` under the `Transforms` limits and answers `result` (or `undefined: true`); "
            + "a syntax error is a 400 and an evaluation error a 422, each with `message`, `code` and `position`.", Extension: true),
        ["listEnvironmentVariables"] = new("List organization variables", "The organization's variables; `SecretString` values are never returned."),
        ["createEnvironmentVariable"] = new("Create an organization variable", "A `String` or `SecretString` variable that configs reference as `{{ env.NAME }}`."),
        ["getEnvironmentVariable"] = new("Get an organization variable", "One variable by key; a `SecretString` comes without its value."),
        ["updateEnvironmentVariable"] = new("Create or replace an organization variable", "An upsert by key; the next delivery attempt uses the new value."),
        ["rotateSigningSecret"] = new("Rotate a config's signing secret",
            "Herald extension. Gives the config a new `whsec_` signing secret and answers it this once, with `previousSecretExpiresAt`. "
            + "Until then (setting `Signing:RotationOverlap`, 24 h by default) deliveries carry a `v1` signature with each secret, newest first; "
            + "then the old secret is deleted. A rotation during an overlap ends the earlier overlap at once.", Extension: true),
        ["rotateSigningKey"] = new("Rotate the organization's signing key",
            "Herald extension. Creates a new Ed25519 key for the caller's organization; for `Signing:RotationOverlap` deliveries carry a `v1a` "
            + "signature with each key, then the old key is deleted. Answers like getPublicKey: the new key and every key in use.", Extension: true),
        ["deleteEnvironmentVariable"] = new("Delete an organization variable", "Deletes the variable; attempts that reference it then fail with `ENV_VARIABLE_NOT_FOUND`."),
    };

    /// <summary>Fields Herald adds to the contract's schemas: schema name, property, description.</summary>
    public static readonly IReadOnlyList<(string Schema, string Property, string Description)> ExtensionFields =
    [
        ("WebhookConfig", "statusReason", "Why `status` is `incomplete`, naming the missing fields; absent otherwise."),
        ("WebhookConfig", "ignoredHeaders", "Read-only. The names in `payloadConfiguration.custom_headers` that Herald does not send, each as `\"name: why\"`: "
            + "not an HTTP header name, a header Herald or the HTTP stack sets itself, the API key's own header, or a name repeated in other letter case. "
            + "Absent when every custom header is sent."),
        ("WebhookConfig", "signingSecretRotation",
            "Read-only. The last signing-secret rotation: `rotatedAt`, and `previousSecretExpiresAt` while the replaced secret still signs (absent once it is deleted). Absent before the first rotation."),
        ("PublicKeyResponse", "keys",
            "Every key that signs now, newest first: `key_id`, `public_key` (PEM), `created_at`, and on a key a rotation replaced `expires_at`, when it stops signing."),
        ("WebhookConfig", "rateLimit", "Deliveries per second this config may get on each node (1 to `Configs:MaxRateLimit`); beyond it deliveries are delayed, "
            + "never failed. Kept when an update leaves it out; `null` removes it."),
        ("WebhookConfig", "disabledReason", "Why Herald disabled the config (its deliveries failed without a success for `Delivery:AutoDisable:After`); "
            + "read-only, absent unless Herald disabled it, cleared when it is enabled again."),
        ("WebhookConfig", "disabledAt", "When Herald disabled the config (RFC 3339); read-only, present with `disabledReason`."),
        ("WebhookEvent", "next_attempt_at", "When the next automatic attempt is due (RFC 3339), while a retry is scheduled after a failed attempt; absent otherwise."),
        ("EventAttempt", "request", "The request the try sent: `method`, `url` (without user info; `***` where a secret variable's value stood) and "
            + "`headers` by lower-cased name, the signature headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) first. The values of "
            + "`Authorization`, the API key header and any header that holds a secret variable's value read `[redacted]` (an `Authorization` "
            + "value keeps its scheme). At most `Delivery:MaxRequestHeaderBytes` of names and values are kept; `omitted_headers` counts the "
            + "headers left out past it. Absent when the try sent nothing (it failed before the send) or was recorded before Herald kept requests."),
    ];
}
