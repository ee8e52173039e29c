using Herald.Server.Http;
using System.Text.Json.Nodes;
using Herald.Server.Events;

namespace Herald.Server.Tests.Events;

/// <summary>How the two list requests become a query, and every way they can be refused.</summary>
public sealed class EventSearchTests
{
    private static readonly DateTimeOffset Oct1 = new(2025, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Oct31 = new(2025, 10, 31, 23, 59, 59, TimeSpan.Zero);

    private static (EventQuery? Query, string? Error) V2(string json) => EventSearch.FromSearchOptions(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void An_empty_body_asks_for_the_first_page_of_25_without_filters()
    {
        Assert.Equal((new EventQuery(25), (string?)null), V2("{}"));
    }

    [Fact]
    public void Nulls_mean_absent()
    {
        Assert.Equal(new EventQuery(25), V2("""{"limit":null,"cursor":null,"timestamp":null,"status":null,"event_id":null}""").Query);
    }

    [Fact]
    public void Every_field_is_read()
    {
        var (query, error) = V2("""
            {"limit":7,"cursor":{"created_at":"2025-10-20T10:00:00.5Z","event_id":"e-9"},
             "timestamp":{"from":"2025-10-01T00:00:00Z","to":"2025-10-31T23:59:59Z"},"status":"failed","event_id":"e-1","unknown":1}
            """);

        Assert.Null(error);
        Assert.Equal(new EventQuery(7, new EventCursor(new DateTimeOffset(2025, 10, 20, 10, 0, 0, 500, TimeSpan.Zero), "e-9"), Oct1, Oct31, EventStatus.Failed, "e-1"), query);
    }

    [Theory]
    [InlineData("""{"timestamp":{"from":"2025-10-01T00:00:00Z"}}""", true, false)]
    [InlineData("""{"timestamp":{"to":"2025-10-31T23:59:59Z"}}""", false, true)]
    [InlineData("""{"timestamp":{}}""", false, false)]
    [InlineData("""{"timestamp":{"from":"2025-10-01T00:00:00Z","to":"2025-10-31T23:59:59Z"}}""", true, true)]
    [InlineData("""{"timestamp":{"from":"2025-10-31T23:59:59Z","to":"2025-10-31T23:59:59Z"}}""", true, true)]
    public void Either_bound_of_the_time_range_may_be_left_open(string json, bool hasFrom, bool hasTo)
    {
        var query = V2(json).Query!;

        Assert.Equal(hasFrom, query.From is not null);
        Assert.Equal(hasTo, query.To is not null);
    }

    [Theory]
    [InlineData("succeeded")]
    [InlineData("failed")]
    [InlineData("skipped")]
    public void V2_filters_by_the_three_outcomes(string status)
    {
        Assert.Equal(status, V2($$"""{"status":"{{status}}"}""").Query!.Status?.ToContract());
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("25", 25)]
    [InlineData("10.0", null)]
    public void The_limit_is_an_integer_from_1_to_25(string limit, int? expected)
    {
        Assert.Equal(expected, V2($$"""{"limit":{{limit}}}""").Query?.Limit);
    }

    [Theory]
    [InlineData("""{"limit":0}""", "limit must be an integer from 1 to 25")]
    [InlineData("""{"limit":26}""", "limit must be an integer from 1 to 25")]
    [InlineData("""{"limit":-1}""", "limit must be an integer from 1 to 25")]
    [InlineData("""{"limit":2.5}""", "limit must be an integer from 1 to 25")]
    [InlineData("""{"limit":"10"}""", "limit must be an integer from 1 to 25")]
    [InlineData("""{"limit":99999999999}""", "limit must be an integer from 1 to 25")]
    [InlineData("""{"cursor":"abc"}""", "cursor must be an object with created_at and event_id")]
    [InlineData("""{"cursor":{"created_at":"nope","event_id":"e"}}""", "cursor.created_at must be an ISO 8601 date-time")]
    [InlineData("""{"cursor":{"created_at":"2025-10-01T00:00:00Z"}}""", "cursor.event_id must be a non-empty string")]
    [InlineData("""{"timestamp":"2025-10-01T00:00:00Z"}""", "timestamp must be an object with from and/or to")]
    [InlineData("""{"timestamp":{"from":"yesterday"}}""", "timestamp.from must be an ISO 8601 date-time")]
    [InlineData("""{"timestamp":{"from":"2025-10-01"}}""", "timestamp.from must be an ISO 8601 date-time")]
    [InlineData("""{"timestamp":{"to":1759276800}}""", "timestamp.to must be an ISO 8601 date-time")]
    [InlineData("""{"timestamp":{"from":"2025-10-01T00:00:00Z","to":"2025-10-32T00:00:00Z"}}""", "timestamp.to must be an ISO 8601 date-time")]
    [InlineData("""{"timestamp":{"from":"2025-10-02T00:00:00Z","to":"2025-10-01T00:00:00Z"}}""", "timestamp.from must not be after timestamp.to")]
    [InlineData("""{"status":"in_progress"}""", "status must be one of succeeded, failed, skipped")]
    [InlineData("""{"status":"SUCCEEDED"}""", "status must be one of succeeded, failed, skipped")]
    [InlineData("""{"status":1}""", "status must be a string")]
    [InlineData("""{"event_id":""}""", "event_id must be a non-empty string")]
    [InlineData("""{"event_id":["e"]}""", "event_id must be a non-empty string")]
    public void A_malformed_search_is_refused_naming_the_field(string json, string error)
    {
        Assert.Equal((null, error), V2(json));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("succeeded", EventStatus.Succeeded)]
    [InlineData("failed", EventStatus.Failed)]
    [InlineData("in_progress", EventStatus.InProgress)]
    public void V1_filters_by_its_three_statuses_and_pages_by_25(string? status, EventStatus? expected)
    {
        Assert.Equal((new EventQuery(25, Status: expected), (string?)null), EventSearch.FromV1(status, null));
    }

    [Theory]
    [InlineData("skipped")]
    [InlineData("done")]
    public void V1_refuses_other_statuses(string status)
    {
        Assert.Equal("status must be one of succeeded, failed, in_progress", EventSearch.FromV1(status, null).Error);
    }

    [Fact]
    public void V1_reads_its_base64_cursor_and_refuses_a_foreign_one()
    {
        var cursor = new EventCursor(Oct1, "e-1");

        Assert.Equal(cursor, EventSearch.FromV1(null, cursor.ToBase64()).Query!.After);
        Assert.Equal("cursor must be a cursor returned by this endpoint", EventSearch.FromV1(null, "bm9wZQ==").Error);
    }
}

/// <summary>Paging from the rows the store returned: one row more than the page says whether another page exists.</summary>
public sealed class EventPageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static EventRecord Row(int i) => new()
    {
        EventId = $"e-{i}", OrgId = new OrganizationId("org"), ConfigId = new ConfigId("cfg"), EventName = "order_created", CreatedAt = T0.AddSeconds(-i), Status = EventStatus.Succeeded,
        HttpMethod = "POST", Input = "{}",
    };

    [Theory]
    [InlineData(0, 3, 0, false)]
    [InlineData(2, 3, 2, false)]
    [InlineData(3, 3, 3, false)]
    [InlineData(4, 3, 3, true)]
    [InlineData(1, 1, 1, false)]
    [InlineData(2, 1, 1, true)]
    public void A_page_holds_at_most_the_limit_and_has_a_cursor_only_when_a_row_was_left_over(int rows, int limit, int shown, bool more)
    {
        var page = EventPage.From(Enumerable.Range(0, rows).Select(Row).ToList(), limit);

        Assert.Equal(shown, page.Items.Count);
        Assert.Equal(more, page.HasMore);
        Assert.Equal(more ? new EventCursor(Row(shown - 1).CreatedAt, $"e-{shown - 1}") : null, page.Next);
    }

    [Fact]
    public void The_store_is_asked_for_one_row_more_with_the_same_filters()
    {
        var query = new EventQuery(10, new EventCursor(T0, "e"), T0.AddDays(-1), T0, EventStatus.Failed, "x");

        Assert.Equal(query with { Limit = 11 }, EventPage.Probe(query));
    }
}
