using System.Text.Json.Nodes;
using Herald.Server.Expressions;
using Herald.Server.Transforms;

namespace Herald.Server.Tests.Expressions;

/// <summary>
/// Compiled expressions and conditions are kept by text in a cache bounded by count and by estimated memory: distinct
/// expressions without end (a condition rewritten on every update) never grow it past either bound.
/// </summary>
public sealed class ExpressionCacheTests
{
    private static readonly JsonObject Input = JsonNode.Parse("""{"n": 3}""")!.AsObject();

    [Fact]
    public void Distinct_conditions_do_not_grow_the_cache_past_its_count()
    {
        var runtime = new JsonataRuntime(new TransformOptions { CacheMaxEntries = 50 });
        var conditions = new JsonataCondition(runtime);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(conditions.IsTruthy($"n < {i + 4}", Input));
            Assert.True(runtime.Cache.Count <= 50, $"{runtime.Cache.Count} entries after {i + 1} conditions");
        }
        Assert.Equal(50, runtime.Cache.Count);
    }

    [Fact]
    public void Large_distinct_expressions_do_not_grow_the_cache_past_its_bytes()
    {
        const long maxBytes = 32L * 1024 * 1024;
        var runtime = new JsonataRuntime(new TransformOptions { CacheMaxBytes = maxBytes });
        var padding = new string(' ', 15_000);

        for (var i = 0; i < 400; i++)
        {
            runtime.Compiled($"n + {i}{padding}");
            Assert.True(runtime.Cache.Bytes <= maxBytes, $"{runtime.Cache.Bytes} bytes after {i + 1} expressions");
        }
        Assert.True(runtime.Cache.Count < 400);
        Assert.True(runtime.Cache.Count >= maxBytes / ExpressionCache.EstimatedBytes($"n + 399{padding}") - 1, $"only {runtime.Cache.Count} entries kept");
    }

    [Fact]
    public void The_least_recently_used_expression_goes_first()
    {
        var runtime = new JsonataRuntime(new TransformOptions { CacheMaxEntries = 3 });
        var kept = runtime.Compiled("n + 1");
        var dropped = runtime.Compiled("n + 2");
        runtime.Compiled("n + 3");

        Assert.Same(kept, runtime.Compiled("n + 1"));
        runtime.Compiled("n + 4");

        Assert.Same(kept, runtime.Compiled("n + 1"));
        Assert.NotSame(dropped, runtime.Compiled("n + 2"));
        Assert.Equal(3, runtime.Cache.Count);
    }
}
