namespace Herald.Webhooks.Verification;

/// <summary>A delivery that passed verification.</summary>
/// <param name="Id"><c>webhook-id</c>: the same on every retry and replay of an event, so a receiver de-duplicates on it.</param>
/// <param name="Timestamp">When this attempt was signed (<c>webhook-timestamp</c>).</param>
/// <param name="Scheme">The scheme of the entry that matched: <c>v1</c> (HMAC-SHA256) or <c>v1a</c> (Ed25519).</param>
public sealed record VerifiedWebhook(string Id, DateTimeOffset Timestamp, string Scheme);
