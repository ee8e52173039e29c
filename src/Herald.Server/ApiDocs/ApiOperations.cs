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
            "Returns the organization's Ed25519 public key that verifies asymmetric (`v1a`) webhook signatures. Unauthenticated. "
            + "Herald answers 404 for an organization it keeps no key or config for."),
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
            + "message and a response excerpt.", Extension: true),
        ["replayEvent"] = new("Replay an event",
            "Sends the event once more with a fresh timestamp and signature, verbatim or with `reapply_transform`; never retried automatically."),
        ["batchReplayEvents"] = new("Replay several events in order",
            "Queues replays of 1 to 100 events of the config, sent one at a time in the given order; answers the ids queued."),
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
        ["deleteEnvironmentVariable"] = new("Delete an organization variable", "Deletes the variable; attempts that reference it then fail with `ENV_VARIABLE_NOT_FOUND`."),
    };

    /// <summary>Fields Herald adds to the contract's schemas: schema name, property, description.</summary>
    public static readonly IReadOnlyList<(string Schema, string Property, string Description)> ExtensionFields =
    [
        ("WebhookConfig", "statusReason", "Why `status` is `incomplete`, naming the missing fields; absent otherwise."),
        ("WebhookConfig", "rateLimit", "Deliveries per second this config may get on each node (1 to `Configs:MaxRateLimit`); beyond it deliveries are delayed, "
            + "never failed. Kept when an update leaves it out; `null` removes it."),
        ("WebhookConfig", "disabledReason", "Why Herald disabled the config (its deliveries failed without a success for `Delivery:AutoDisable:After`); "
            + "read-only, absent unless Herald disabled it, cleared when it is enabled again."),
        ("WebhookConfig", "disabledAt", "When Herald disabled the config (RFC 3339); read-only, present with `disabledReason`."),
        ("WebhookEvent", "next_attempt_at", "When the next automatic attempt is due (RFC 3339), while a retry is scheduled after a failed attempt; absent otherwise."),
    ];
}
