using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Http;

namespace Herald.Server.Tests.Http;

public sealed class StoredTextTests
{
    [Theory]
    [InlineData(5, "aaaa")] // the cut would fall between the emoji's two halves: the whole emoji goes
    [InlineData(6, "aaaa\U0001F600")]
    [InlineData(4, "aaaa")]
    [InlineData(100, "aaaa\U0001F600b")]
    public void A_cut_never_splits_a_character_of_two_code_units(int max, string expected)
    {
        var cut = StoredText.Cut("aaaa\U0001F600b", max);

        Assert.Equal(expected, cut);
        // Writable as strict UTF-8, as PostgreSQL's driver writes text.
        new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(cut);
    }

    [Fact]
    public void NUL_becomes_the_replacement_character_and_other_text_is_the_same_string()
    {
        Assert.Equal("a\uFFFDb\uFFFD", StoredText.Storable("a\0b\0"));
        var clean = "clean";
        Assert.Same(clean, StoredText.Storable(clean));
        Assert.Null(StoredText.Storable(null));
    }

    [Theory]
    [InlineData("""{"a":"x","b":["y","z\u0000"]}""", "b[1]")]
    [InlineData("""{"a":{"b\u0000":1}}""", "a property name of a")]
    [InlineData("""{"k\u0000":1}""", "a property name of the body")]
    [InlineData("""{"a":{"b":{"c":"\u0000"}}}""", "a.b.c")]
    [InlineData("\"\\u0000\"", "the body")]
    public void The_first_NUL_is_named_by_its_path(string json, string path) =>
        Assert.Equal(path, StoredText.FirstNul(JsonNode.Parse(json)));

    [Fact]
    public void Text_without_NUL_has_no_path() =>
        Assert.Null(StoredText.FirstNul(JsonNode.Parse("""{"a":"x","b":[1,true,null,{"c":"\u0001"}]}""")));
}
