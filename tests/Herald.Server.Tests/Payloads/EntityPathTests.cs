using Herald.Server.Payloads;

namespace Herald.Server.Tests.Payloads;

public sealed class EntityPathTests
{
    [Theory]
    [InlineData("contract", "c-1", "https://entities.example/api/v1/entity/contract/c-1?hydrate=true")]
    [InlineData("contract", "a b?c#d", "https://entities.example/api/v1/entity/contract/a%20b%3Fc%23d?hydrate=true")]
    [InlineData("contract", "..a", "https://entities.example/api/v1/entity/contract/..a?hydrate=true")]
    [InlineData("contract", "ü", "https://entities.example/api/v1/entity/contract/%C3%BC?hydrate=true")]
    public void A_plain_slug_and_id_are_one_percent_encoded_segment_each(string slug, string id, string expected) =>
        Assert.Equal(expected, EntityPath.UrlOf("https://entities.example/api", slug, id)!.AbsoluteUri);

    [Theory]
    [InlineData("..", "admin", "entity._schema")]
    [InlineData(".", "admin", "entity._schema")]
    [InlineData("", "admin", "entity._schema")]
    [InlineData("a/b", "c", "entity._schema")]
    [InlineData("contract", "..", "entity._id")]
    [InlineData("contract", "..\\admin", "entity._id")]
    [InlineData("contract", "%2e%2e", "entity._id")]
    [InlineData("contract", "c\u0000", "entity._id")]
    public void Anything_that_could_step_out_of_its_segment_is_refused(string slug, string id, string field)
    {
        Assert.StartsWith(field, EntityPath.Problem(slug, id));
        Assert.Null(EntityPath.UrlOf("https://entities.example/api", slug, id));
    }
}
