using Herald.Server.Idempotency;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Herald.Server.Tests.Idempotency;

public sealed class IdempotencyRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("order-42", "order-42", null)]
    [InlineData("9b2d1c4e-7f0a-4e55-9b1a-2f6f1b1d8c3e", "9b2d1c4e-7f0a-4e55-9b1a-2f6f1b1d8c3e", null)]
    [InlineData("with space", "with space", null)]
    [InlineData("", null, "Idempotency-Key must not be empty")]
    [InlineData("   ", null, "Idempotency-Key must not be empty")]
    [InlineData("tab\there", null, "Idempotency-Key must consist of printable ASCII characters")]
    [InlineData("schlüssel", null, "Idempotency-Key must consist of printable ASCII characters")]
    public void A_key_is_printable_ascii(string header, string? key, string? error)
    {
        var headers = new HeaderDictionary { [IdempotencyKey.Header] = header };

        Assert.Equal((key, error), IdempotencyKey.Read(headers));
    }

    [Fact]
    public void A_key_is_optional_at_most_255_characters_and_given_once()
    {
        Assert.Equal((null, null), IdempotencyKey.Read(new HeaderDictionary()));
        Assert.Equal(new string('k', 255), IdempotencyKey.Read(new HeaderDictionary { [IdempotencyKey.Header] = new string('k', 255) }).Key);
        Assert.Equal("Idempotency-Key must be at most 255 characters", IdempotencyKey.Read(new HeaderDictionary { [IdempotencyKey.Header] = new string('k', 256) }).Error);
        Assert.Equal("Idempotency-Key must be given once", IdempotencyKey.Read(new HeaderDictionary { [IdempotencyKey.Header] = new StringValues(["a", "b"]) }).Error);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(23 * 60 + 59, false)]
    [InlineData(24 * 60, true)]
    [InlineData(48 * 60, true)]
    public void An_answer_expires_24_hours_after_its_key_was_first_used(int minutesLater, bool expired)
    {
        var answer = new StoredAnswer(T0, 200, "{}", Completed: true);

        Assert.Equal(expired, IdempotencyRules.IsExpired(answer, T0.AddMinutes(minutesLater)));
    }

    [Theory]
    [InlineData(true, 0, EarlierAnswer.Replay)]
    [InlineData(true, 10, EarlierAnswer.Replay)]
    [InlineData(false, 0, EarlierAnswer.InProgress)]
    [InlineData(false, 4, EarlierAnswer.InProgress)]
    [InlineData(false, 5, EarlierAnswer.Replay)]
    public void A_provisional_answer_is_in_progress_for_five_minutes_then_replayed(bool completed, int minutesLater, EarlierAnswer expected)
    {
        var answer = new StoredAnswer(T0, 200, """{"event_id":"e"}""", completed);

        Assert.Equal(expected, IdempotencyRules.Decide(answer, T0.AddMinutes(minutesLater)));
    }

    [Fact]
    public void Scopes_separate_configs_and_fan_out()
    {
        Assert.NotEqual(IdempotencyRules.TriggerScope("a"), IdempotencyRules.TriggerScope("b"));
        Assert.NotEqual(IdempotencyRules.FanOutScope, IdempotencyRules.TriggerScope("events"));
    }
}
