using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Http;

/// <summary>Reading a request body as a JSON object under a size cap, with and without a declared length.</summary>
public sealed class JsonBodyTests
{
    private static HttpRequest Request(string body, bool declareLength = true) => Request(Encoding.UTF8.GetBytes(body), declareLength);

    private static HttpRequest Request(byte[] bytes, bool declareLength = true)
    {
        var context = new DefaultHttpContext();
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
    [InlineData("""{"a":"\u12""")]
    [InlineData("""{"a":"\ud800\u""")]
    [InlineData("""{"a":\ud800}""")]
    public async Task Repeated_properties_malformed_json_and_non_objects_are_refused(string body)
    {
        var read = await JsonBody.ReadObjectAsync(Request(body));

        Assert.Null(read.Body);
        Assert.Equal(StatusCodes.Status400BadRequest, await StatusOf(read.Error));
    }

    private static async Task<string> MessageOf(IResult? result)
    {
        Assert.NotNull(result);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        return JsonNode.Parse(body.ToArray())!["message"]!.GetValue<string>();
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", 6)]
    [InlineData("""{"a":"\udc00"}""", 6)]
    [InlineData("""{"a":"x\ud800\u0041"}""", 7)]
    [InlineData("""{"a":"\udc00\ud800"}""", 6)]
    [InlineData("""{"a":"\ud83d"}""", 6)]
    [InlineData("""{"a":"\ud83d\ud83d\ude00"}""", 6)]
    [InlineData("""{"a":["ok","\uDBFF"]}""", 12)]
    [InlineData("""{"\ud800":1}""", 2)]
    [InlineData("""{"a":"\\\ud800"}""", 8)]
    public async Task An_escaped_lone_surrogate_is_a_400_naming_its_byte_offset(string body, int offset)
    {
        var read = await JsonBody.ReadObjectAsync(Request(body));

        Assert.Null(read.Body);
        var message = await MessageOf(read.Error);
        Assert.Contains($"byte offset {offset}", message);
        Assert.Contains("surrogate", message);
    }

    [Theory]
    [InlineData("""{"a":"\ud83d\ude00"}""", "\U0001F600")]
    [InlineData("""{"a":"\uD83D\uDE00 and \u00e9"}""", "\U0001F600 and \u00e9")]
    [InlineData("""{"a":"\\ud800"}""", """\ud800""")]
    [InlineData("""{"a":"\\\ud83d\ude00"}""", "\\\U0001F600")]
    public async Task Escaped_surrogate_pairs_and_escaped_backslashes_are_text_like_any_other(string body, string expected)
    {
        var read = await JsonBody.ReadObjectAsync(Request(body));

        Assert.Null(read.Error);
        Assert.Equal(expected, read.Body!["a"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, 6, 1)]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 6, 1)]
    [InlineData(new byte[] { 0xC0, 0xAF }, 6, 1)]
    [InlineData(new byte[] { 0xE2, 0x82 }, 6, 1)]
    [InlineData(new byte[] { (byte)'o', (byte)'k', (byte)'"', (byte)',', (byte)'\n', (byte)'"', (byte)'b', (byte)'"', (byte)':', (byte)'"', 0x80 }, 16, 2)]
    public async Task Invalid_utf8_is_a_400_naming_its_byte_offset_and_line(byte[] inside, int offset, int line)
    {
        var body = "{\"a\":\""u8.ToArray().Concat(inside).Concat("\"}"u8.ToArray()).ToArray();

        var read = await JsonBody.ReadObjectAsync(Request(body));

        Assert.Null(read.Body);
        var message = await MessageOf(read.Error);
        Assert.Contains($"byte offset {offset}", message);
        Assert.Contains($"line {line}", message);
        Assert.Contains("UTF-8", message);
    }
}
