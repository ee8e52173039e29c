using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Http;

/// <summary>Reading a request body as a JSON object under a size cap, with and without a declared length.</summary>
public sealed class JsonBodyTests
{
    private static HttpRequest Request(string body, bool declareLength = true)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = declareLength ? bytes.Length : null;
        return context.Request;
    }

    private static async Task<int?> StatusOf(IResult? result)
    {
        if (result is null)
        {
            return null;
        }
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task A_parsed_body_keeps_its_values_when_the_next_request_reuses_the_buffer()
    {
        var first = await JsonBody.ReadObjectAsync(Request("""{"name":"first","n":1}"""));
        var second = await JsonBody.ReadObjectAsync(Request("""{"name":"other","n":2}"""));

        Assert.Equal("first", first.Body!["name"]!.GetValue<string>());
        Assert.Equal(1, first.Body["n"]!.GetValue<int>());
        Assert.Equal("other", second.Body!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_much_larger_than_the_first_buffer_is_read_whole(bool declareLength)
    {
        var items = string.Join(',', Enumerable.Range(0, 5000).Select(i => $$"""{"i":{{i}},"label":"item {{i}}"}"""));

        var read = await JsonBody.ReadObjectAsync(Request($$"""{"items":[{{items}}]}""", declareLength));

        var parsed = Assert.IsType<JsonArray>(read.Body!["items"]);
        Assert.Equal(5000, parsed.Count);
        Assert.Equal("item 4999", parsed[4999]!["label"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_cap_holds_to_the_byte_with_or_without_a_declared_length(bool declareLength)
    {
        var atCap = """{"a":"xxxxxxxx"}""";
        var cap = Encoding.UTF8.GetByteCount(atCap);

        var accepted = await JsonBody.ReadObjectAsync(Request(atCap, declareLength), maxBytes: cap);
        var refused = await JsonBody.ReadObjectAsync(Request("""{"a":"xxxxxxxxx"}""", declareLength), maxBytes: cap);

        Assert.Null(accepted.Error);
        Assert.Equal("xxxxxxxx", accepted.Body!["a"]!.GetValue<string>());
        Assert.Null(refused.Body);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, await StatusOf(refused.Error));
    }

    [Fact]
    public async Task An_empty_body_is_refused_unless_allowed()
    {
        var refused = await JsonBody.ReadObjectAsync(Request(""));
        var allowed = await JsonBody.ReadObjectAsync(Request(""), allowEmpty: true);

        Assert.Equal(StatusCodes.Status400BadRequest, await StatusOf(refused.Error));
        Assert.Empty(allowed.Body!);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":""")]
    [InlineData("""[1,2]""")]
    public async Task Repeated_properties_malformed_json_and_non_objects_are_refused(string body)
    {
        var read = await JsonBody.ReadObjectAsync(Request(body));

        Assert.Null(read.Body);
        Assert.Equal(StatusCodes.Status400BadRequest, await StatusOf(read.Error));
    }
}
