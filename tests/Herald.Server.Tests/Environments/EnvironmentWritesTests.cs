using Herald.Server.Http;
using System.Text;
using Herald.Server.Environments;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Environments;

public sealed class EnvironmentWritesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static byte[] FakeSeal(OrganizationId orgId, string key, string value) => Encoding.UTF8.GetBytes($"sealed({orgId}/{key}/{value})");

    private static EnvironmentRecord Stored(string type, string? value) => EnvironmentWrites.Create(
        Json.Obj(value is null ? $$"""{"type":"{{type}}","description":"d","group":"g","protected":true}""" : $$"""{"type":"{{type}}","value":"{{value}}","description":"d","group":"g","protected":true}"""),
        new OrganizationId("org-1"), "k", T0, FakeSeal);

    [Fact]
    public void A_secret_is_only_ever_kept_sealed_and_a_string_in_the_clear()
    {
        var secret = Stored("SecretString", "s3cret");
        var plain = Stored("String", "visible");

        Assert.Null(secret.Value);
        Assert.Equal("sealed(org-1/k/s3cret)", Encoding.UTF8.GetString(secret.SealedValue!));
        Assert.Equal("visible", plain.Value);
        Assert.Null(plain.SealedValue);
        Assert.Equal(("d", "g", true, 1L, T0, T0), (plain.Description, plain.Group, plain.Protected, plain.Version, plain.CreatedAt, plain.UpdatedAt));
    }

    [Fact]
    public void An_update_defaults_a_new_variables_type_to_String()
    {
        var created = EnvironmentWrites.Create(Json.Obj("""{"value":"v"}"""), new OrganizationId("org-1"), "k", T0, FakeSeal);

        Assert.Equal(("String", "v"), (created.Type, created.Value));
    }

    public static TheoryData<string, string, string?, string?, string?> Updates => new()
    {
        // body, stored type, stored value -> new type (or conflict), new plain value
        { "{}", "SecretString", "old", "SecretString", null },
        { """{"value":"new"}""", "SecretString", "old", "SecretString", null },
        { """{"value":"new"}""", "String", "old", "String", "new" },
        { """{"description":"e"}""", "String", "old", "String", "old" },
        { """{"type":"String"}""", "String", "old", "String", "old" },
        { """{"type":"SecretString"}""", "String", "old", "conflict", null },
        { """{"type":"SecretString","value":"new"}""", "String", "old", "conflict", null },
        { """{"type":"SecretString","value":"new"}""", "String", null, "SecretString", null },
        { """{"type":"String","value":"new"}""", "SecretString", null, "String", "new" },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public void An_update_replaces_what_it_names_keeps_the_rest_and_changes_type_only_without_a_value(
        string body, string storedType, string? storedValue, string? expectedType, string? expectedValue)
    {
        var stored = Stored(storedType, storedValue);

        var (record, conflict) = EnvironmentWrites.Update(Json.Obj(body), stored, T0.AddMinutes(1), FakeSeal);

        if (expectedType == "conflict")
        {
            Assert.Null(record);
            Assert.Contains("while it holds a value", conflict);
            return;
        }
        Assert.Null(conflict);
        Assert.Equal(expectedType, record!.Type);
        Assert.Equal(expectedValue, record.Value);
        Assert.Equal((2L, T0, T0.AddMinutes(1)), (record.Version, record.CreatedAt, record.UpdatedAt));
        if (record.Type == "SecretString" && (storedValue is not null || body.Contains("value")))
        {
            var expectedSecret = body.Contains("\"value\"") ? "new" : storedValue;
            Assert.Equal($"sealed(org-1/k/{expectedSecret})", Encoding.UTF8.GetString(record.SealedValue!));
        }
        Assert.Equal(body.Contains("description") ? "e" : "d", record.Description);
        Assert.Equal(("g", true), (record.Group, record.Protected));
    }

    [Fact]
    public void Two_updates_in_one_clock_tick_still_move_updated_at()
    {
        var stored = Stored("String", "v");

        var (record, _) = EnvironmentWrites.Update(Json.Obj("""{"value":"w"}"""), stored, T0, FakeSeal);

        Assert.Equal(T0.AddMilliseconds(1), record!.UpdatedAt);
    }
}
