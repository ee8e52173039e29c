using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Events;

namespace Herald.Server.Tests.Events;

/// <summary>Cursor encode/decode, both forms, and the date-times they carry.</summary>
public sealed class EventCursorTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
    private const string Id = "019cf1a2-0000-7000-8000-000000000001";

    [Theory]
    [InlineData("2026-03-01T12:00:00Z", 0L)]
    [InlineData("2026-03-01T12:00:00.123Z", 1_230_000L)]
    [InlineData("2026-03-01T12:00:00.1234567Z", 1_234_567L)]
    [InlineData("2026-03-01T12:00:00.0000001Z", 1L)]
    public void Timestamps_are_written_with_just_the_digits_they_need_and_read_back_exactly(string text, long ticksAfterNoon)
    {
        var value = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(ticksAfterNoon);

        Assert.Equal(text, Timestamp.Format(value));
        Assert.Equal(value, Timestamp.Parse(text));
    }

    [Theory]
    [InlineData("2025-10-01T00:00:00Z", "2025-10-01T00:00:00Z")]
    [InlineData("2025-10-01T00:00:00.5z", "2025-10-01T00:00:00.5Z")]
    [InlineData("2025-10-01T02:00:00+02:00", "2025-10-01T00:00:00Z")]
    [InlineData("2025-09-30T19:30:00-04:30", "2025-10-01T00:00:00Z")]
    [InlineData("2025-10-01T00:00:00", "2025-10-01T00:00:00Z")]
    [InlineData("2025-10-01T00:00", "2025-10-01T00:00:00Z")]
    public void Iso_date_times_with_or_without_an_offset_are_read_as_instants(string text, string utc)
    {
        Assert.Equal(utc, Timestamp.Format(Timestamp.Parse(text)!.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025-10-01")]
    [InlineData("2025-10-01 00:00:00Z")]
    [InlineData("October 1, 2025")]
    [InlineData("2025-13-01T00:00:00Z")]
    [InlineData("2025-02-30T00:00:00Z")]
    [InlineData("2025-10-01T25:00:00Z")]
    [InlineData("2025-10-01T00:00:00.12345678Z")]
    [InlineData("2025-10-01T00:00:00+0200")]
    [InlineData("2025-10-01T00:00:00Z\n")]
    [InlineData("１２３４-10-01T00:00:00Z")]
    [InlineData("1760000000")]
    public void Anything_but_a_full_iso_date_time_is_refused(string text)
    {
        Assert.Null(Timestamp.Parse(text));
    }

    [Fact]
    public void The_object_form_round_trips()
    {
        var cursor = new EventCursor(At, Id);

        var json = cursor.ToJson();

        Assert.Equal("""{"created_at":"2026-03-01T12:00:00.123Z","event_id":"019cf1a2-0000-7000-8000-000000000001"}""", json.ToJsonString());
        Assert.Equal((cursor, (string?)null), EventCursor.FromJson(json));
    }

    [Theory]
    [InlineData("null", "cursor must be an object with created_at and event_id")]
    [InlineData("\"abc\"", "cursor must be an object with created_at and event_id")]
    [InlineData("[]", "cursor must be an object with created_at and event_id")]
    [InlineData("""{"event_id":"e"}""", "cursor.created_at must be an ISO 8601 date-time")]
    [InlineData("""{"created_at":12,"event_id":"e"}""", "cursor.created_at must be an ISO 8601 date-time")]
    [InlineData("""{"created_at":"yesterday","event_id":"e"}""", "cursor.created_at must be an ISO 8601 date-time")]
    [InlineData("""{"created_at":"2026-03-01T12:00:00Z"}""", "cursor.event_id must be a non-empty string")]
    [InlineData("""{"created_at":"2026-03-01T12:00:00Z","event_id":""}""", "cursor.event_id must be a non-empty string")]
    [InlineData("""{"created_at":"2026-03-01T12:00:00Z","event_id":7}""", "cursor.event_id must be a non-empty string")]
    public void A_malformed_object_cursor_is_named_in_the_error(string json, string error)
    {
        Assert.Equal((null, error), EventCursor.FromJson(JsonNode.Parse(json)));
    }

    [Fact]
    public void A_cursor_event_id_longer_than_200_characters_is_refused()
    {
        var json = new JsonObject { ["created_at"] = "2026-03-01T12:00:00Z", ["event_id"] = new string('a', 201) };

        Assert.Equal("cursor.event_id must be a non-empty string", EventCursor.FromJson(json).Error);
    }

    [Fact]
    public void The_base64_form_is_standard_base64_of_the_object_form_and_round_trips()
    {
        var cursor = new EventCursor(At, Id);

        var text = cursor.ToBase64();

        Assert.Equal(cursor.ToJson().ToJsonString(), Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        Assert.Equal((cursor, (string?)null), EventCursor.FromBase64(text));
    }

    [Fact]
    public void The_base64_form_survives_url_safe_alphabets_lost_padding_and_unencoded_plus_signs()
    {
        // An id chosen so that the encoding contains '+', '/' and padding.
        var cursor = new EventCursor(At, "a???~~~");
        var text = cursor.ToBase64();
        Assert.Contains('+', text);
        Assert.Contains('/', text);
        Assert.EndsWith("=", text);

        Assert.Equal(cursor, EventCursor.FromBase64(text.Replace('+', '-').Replace('/', '_')).Cursor);
        Assert.Equal(cursor, EventCursor.FromBase64(text.TrimEnd('=')).Cursor);
        Assert.Equal(cursor, EventCursor.FromBase64(text.Replace('+', ' ')).Cursor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("a")]
    [InlineData("aGVsbG8=")]
    [InlineData("W10=")]
    [InlineData("eyJjcmVhdGVkX2F0IjoieCIsImV2ZW50X2lkIjoiZSJ9")]
    [InlineData("eyJldmVudF9pZCI6ImUifQ==")]
    public void A_base64_cursor_that_is_not_one_of_ours_is_refused_with_one_message(string text)
    {
        Assert.Equal((null, "cursor must be a cursor returned by this endpoint"), EventCursor.FromBase64(text));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0' })]
    [InlineData(new byte[] { (byte)'e', 0xFF })]
    public void A_base64_cursor_whose_text_is_not_unicode_is_refused(byte[] eventId)
    {
        var json = "{\"created_at\":\"2026-03-01T12:00:00Z\",\"event_id\":\""u8.ToArray().Concat(eventId).Concat("\"}"u8.ToArray()).ToArray();

        Assert.Equal((null, "cursor must be a cursor returned by this endpoint"), EventCursor.FromBase64(Convert.ToBase64String(json)));
    }

    [Fact]
    public void An_oversized_base64_cursor_is_refused_without_decoding()
    {
        Assert.Equal("cursor must be a cursor returned by this endpoint", EventCursor.FromBase64(new string('A', 2000)).Error);
    }
}
