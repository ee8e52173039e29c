using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Bench.Events;

/// <summary>
/// Random walks through configs' event lists: each walk picks a config and a start (a quarter at the newest event,
/// the usual first page; the rest at a random time in the log) and follows <c>next_cursor</c> for a few pages. Every
/// page is read twice: through Herald's HTTP API and straight from the store (the baseline: no HTTP, no JSON), in
/// alternating order so that neither always finds the pages the other just brought into the cache.
/// </summary>
public sealed class PageWalker(
    IReadOnlyDictionary<string, HttpClient> clients,
    IReadOnlyList<(string OrgId, string ConfigId)> configs,
    IEventStore store,
    DateTimeOffset oldest,
    TimeSpan span,
    int pagesPerWalk)
{
    private readonly Random _random = new(7);
    private int _pages;

    /// <summary>One walk; records into the latencies when given (none while warming up).</summary>
    public async Task WalkAsync(string? status, Latency? api, Latency? direct)
    {
        var config = configs[_random.Next(configs.Count)];
        JsonObject? cursor = _random.Next(4) == 0 ? null : new JsonObject
        {
            ["created_at"] = Timestamp.Format(oldest + TimeSpan.FromMilliseconds(_random.NextDouble() * span.TotalMilliseconds)),
            ["event_id"] = "ffffffff-ffff-7fff-bfff-ffffffffffff",
        };
        for (var p = 0; p < pagesPerWalk; p++)
        {
            var search = new JsonObject { ["limit"] = 25, ["cursor"] = cursor?.DeepClone(), ["status"] = status };
            var query = EventSearch.FromSearchOptions(search).Query!;
            JsonObject? next;
            if (_pages++ % 2 == 0)
            {
                direct?.Add(await StorePageAsync(config, query));
                (next, var elapsed) = await ApiPageAsync(config, search);
                api?.Add(elapsed);
            }
            else
            {
                (next, var elapsed) = await ApiPageAsync(config, search);
                api?.Add(elapsed);
                direct?.Add(await StorePageAsync(config, query));
            }
            if (next is null)
            {
                return;
            }
            cursor = next;
        }
    }

    /// <summary>One <c>getWebhookEventsV2</c> call, timed until its whole body has arrived.</summary>
    private async Task<(JsonObject? Next, TimeSpan Elapsed)> ApiPageAsync((string OrgId, string ConfigId) config, JsonObject search)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await clients[config.OrgId].PostAsync($"/v2/webhooks/configs/{config.ConfigId}/events",
            new StringContent(search.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"getWebhookEventsV2 answered {(int)response.StatusCode}: {text}");
        }
        var page = JsonNode.Parse(text)!;
        if (page["data"]!.AsArray().Count == 0 && page["has_more"]!.GetValue<bool>())
        {
            throw new InvalidOperationException("An empty page claimed more to come");
        }
        return (page["next_cursor"] as JsonObject, elapsed);
    }

    /// <summary>The same page as the store reads it for the endpoint (one row more than the page).</summary>
    private async Task<TimeSpan> StorePageAsync((string OrgId, string ConfigId) config, EventQuery query)
    {
        var started = Stopwatch.GetTimestamp();
        await store.ListAsync(new OrganizationId(config.OrgId), new ConfigId(config.ConfigId), EventPage.Probe(query), CancellationToken.None);
        return Stopwatch.GetElapsedTime(started);
    }
}
