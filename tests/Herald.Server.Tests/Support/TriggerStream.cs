using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Support;

/// <summary>What a stream of async triggers came to.</summary>
/// <param name="Accepted">Event ids of the triggers answered 2xx: only these did Herald promise to deliver.</param>
/// <param name="Sent">Requests started.</param>
/// <param name="LostInTransit">Requests that got no complete answer (connection refused or reset, time-out).</param>
/// <param name="Refused">Requests answered with another status, as "status: body".</param>
public sealed record TriggerStreamResult(IReadOnlyList<string> Accepted, int Sent, int LostInTransit, IReadOnlyList<string> Refused);

/// <summary>
/// Async triggers of one config fired by several clients at once, each client one request after the other. A client
/// stops at its first request that gets no answer: its server is gone.
/// </summary>
public static class TriggerStream
{
    /// <param name="servers">The base address of each client's server, one entry per client.</param>
    /// <param name="perClient">Triggers each client fires.</param>
    /// <param name="onAccepted">Called with the running count of accepted triggers after each one.</param>
    public static async Task<TriggerStreamResult> FireAsync(
        IReadOnlyList<HeraldProcess> servers, string token, string configId, int perClient, Action<int>? onAccepted, CancellationToken cancellationToken)
    {
        var accepted = new ConcurrentQueue<string>();
        var refused = new ConcurrentQueue<string>();
        var acceptedCount = 0;
        var sent = 0;
        var lost = 0;

        async Task RunClientAsync(HeraldProcess server, int client)
        {
            using var http = server.Client(token);
            for (var i = 0; i < perClient; i++)
            {
                var body = Json.Body(new JsonObject
                {
                    ["metadata"] = new JsonObject { ["action"] = "durability" },
                    ["entity"] = new JsonObject { ["_id"] = $"c{client}-{i}", ["client"] = client, ["n"] = i },
                });
                Interlocked.Increment(ref sent);
                string? eventId;
                try
                {
                    using var response = await http.PostAsync($"/v1/webhooks/configs/{configId}/trigger", body, cancellationToken);
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        refused.Enqueue($"{(int)response.StatusCode}: {text}");
                        continue;
                    }
                    eventId = JsonNode.Parse(text)?["event_id"]?.GetValue<string>();
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref lost);
                    return;
                }
                if (eventId is null)
                {
                    refused.Enqueue("2xx without an event_id");
                    continue;
                }
                accepted.Enqueue(eventId);
                onAccepted?.Invoke(Interlocked.Increment(ref acceptedCount));
            }
        }

        await Task.WhenAll(servers.Select((server, client) => Task.Run(() => RunClientAsync(server, client), cancellationToken)));
        return new TriggerStreamResult(accepted.ToArray(), sent, lost, refused.ToArray());
    }
}
