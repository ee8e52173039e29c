using Herald.Server.Environments;

namespace Herald.Server.Tests.Environments;

public sealed class EnvReferencesTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["host"] = "erp.example",
        ["erp.base-url"] = "https://erp.example/api",
        ["secret"] = "p@ss {{ env.host }}",
        ["empty"] = "",
    };

    public static TheoryData<string?, bool, string?, string?> Cases => new()
    {
        // text, whole value, expected value, expected error (start)
        { null, false, null, null },
        { "no references", false, "no references", null },
        { "{{ env.host }}", false, "erp.example", null },
        { "{{env.host}}", false, "erp.example", null },
        { "{{   env.host\t}}", false, "erp.example", null },
        { "https://{{ env.host }}/hooks?x={{env.host}}", false, "https://erp.example/hooks?x=erp.example", null },
        { "{{ env.erp.base-url }}/orders", false, "https://erp.example/api/orders", null },
        { "Bearer {{ env.empty }}", false, "Bearer ", null },
        // A value is inserted once, never resolved again.
        { "{{ env.secret }}", false, "p@ss {{ env.host }}", null },
        { "{{ env.missing }}", false, null, "refers to environment variable 'missing'" },
        { "{{ env.host }}-{{ env.other }}", false, null, "refers to environment variable 'other'" },
        // Names match keys exactly.
        { "{{ env.HOST }}", false, null, "refers to environment variable 'HOST'" },
        // Not references: left as written.
        { "{{ host }}", false, "{{ host }}", null },
        { "{ env.host }", false, "{ env.host }", null },
        { "{{ env. host }}", false, "{{ env. host }}", null },
        // *IsEnvVar: the whole value is one reference, in any of three spellings.
        { "{{ env.secret }}", true, "p@ss {{ env.host }}", null },
        { " {{env.host}} ", true, "erp.example", null },
        { "env.host", true, "erp.example", null },
        { "host", true, "erp.example", null },
        { "erp.base-url", true, "https://erp.example/api", null },
        { "missing", true, null, "refers to environment variable 'missing'" },
        { "prefix-{{ env.host }}", true, null, "is marked as an environment variable reference but holds none" },
        { "two words", true, null, "is marked as an environment variable reference but holds none" },
        { "", true, null, "is marked as an environment variable reference but holds none" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void References_resolve_from_the_organizations_values(string? text, bool whole, string? expected, string? error)
    {
        var resolution = EnvReferences.Resolve(text, whole, Values);

        Assert.Equal(expected, resolution.Value);
        if (error is null)
        {
            Assert.Null(resolution.Error);
        }
        else
        {
            Assert.StartsWith(error, resolution.Error);
        }
    }

    [Theory]
    [InlineData(null, false, new string[0])]
    [InlineData("plain", false, new string[0])]
    [InlineData("{{ env.a }}/{{env.b.c}}/{{ env.a }}", false, new[] { "a", "b.c", "a" })]
    [InlineData("{{ env.a }}", true, new[] { "a" })]
    [InlineData("env.a", true, new[] { "a" })]
    [InlineData("a", true, new[] { "a" })]
    [InlineData("x {{ env.a }}", true, new string[0])]
    public void The_names_a_field_needs_are_found_before_any_lookup(string? text, bool whole, string[] expected) =>
        Assert.Equal(expected, EnvReferences.NamesIn(text, whole));

    [Theory]
    [InlineData("{{ env.host }}", false, 11, "erp.example")]
    [InlineData("{{ env.host }}", false, 10, null)]
    [InlineData("x-{{ env.host }}", false, 13, "x-erp.example")]
    [InlineData("x-{{ env.host }}-y", false, 13, null)]
    [InlineData("no references", false, 5, null)]
    [InlineData("host", true, 11, "erp.example")]
    [InlineData("host", true, 10, null)]
    public void A_resolution_longer_than_asked_for_is_refused(string text, bool whole, int maxLength, string? expected)
    {
        var resolution = EnvReferences.Resolve(text, whole, Values, maxLength);

        Assert.Equal(expected, resolution.Value);
        Assert.Equal(expected is null, resolution.TooLong);
    }

    [Fact]
    public void Resolution_stops_at_the_limit_instead_of_building_the_whole_text()
    {
        var values = new Dictionary<string, string> { ["big"] = new('x', 32_768) };
        var text = string.Concat(Enumerable.Repeat("{{env.big}}", 6_000));
        EnvReferences.Resolve("{{env.big}}", false, values, 65_536);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var resolution = EnvReferences.Resolve(text, false, values, 65_536);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(resolution.TooLong);
        // Built in full, the text would take about 390 MB (UTF-16); stopping at 64 KiB leaves a few hundred KB.
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated} bytes");
    }
}
