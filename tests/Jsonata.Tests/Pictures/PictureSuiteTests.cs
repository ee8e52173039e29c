using Jsonata.Tests.Conformance;
using System.Text.Json;
using Jsonata.Tests.Pictures.Suite;

namespace Jsonata.Tests.Pictures;

/// <summary>
/// Runs the conformance-suite cases of the picture-function groups that are a single call with
/// literal arguments directly against PictureFormat. The engine runs the whole suite elsewhere;
/// this checks the pictures on their own, one test per case.
/// </summary>
public class PictureSuiteTests
{
    private const string Missing = "(suite not available)";

    public static IEnumerable<TheoryDataRow<string>> CaseIds()
    {
        var ids = PictureSuiteCase.Cases.Keys.Order(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            ids.Add(Missing);
        }
        return ids.Select(id => new TheoryDataRow<string>(id));
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Suite_case(string id)
    {
        if (id == Missing)
        {
            SuiteLocator.SkipOrFail("The shared JSONata test suite is not beside this checkout.");
        }
        var suiteCase = PictureSuiteCase.Cases[id];
        var expected = suiteCase.Case;
        string? code = expected.TryGetProperty("code", out var c) ? c.GetString()
            : expected.TryGetProperty("error", out var e) ? e.GetProperty("code").GetString()
            : null;
        if (code is not null)
        {
            var error = Assert.Throws<JsonataException>(() => suiteCase.Invoke());
            Assert.Equal(code, error.Code);
            return;
        }
        object? actual = suiteCase.Invoke();
        if (expected.TryGetProperty("undefinedResult", out _))
        {
            Assert.Null(actual);
            return;
        }
        var result = expected.GetProperty("result");
        switch (result.ValueKind)
        {
            case JsonValueKind.String:
                Assert.Equal(result.GetString(), Assert.IsType<string>(actual));
                break;
            case JsonValueKind.Number:
                Assert.Equal(result.GetDouble(), Assert.IsType<double>(actual));
                break;
            default:
                Assert.Fail($"Unexpected result kind {result.ValueKind} in {id}");
                break;
        }
    }

    [Fact]
    public void Adapter_finds_the_literal_calls()
    {
        if (SuiteLocator.FindSuite() is null)
        {
            SuiteLocator.SkipOrFail("The shared JSONata test suite is not beside this checkout.");
        }
        // Guards against the adapter silently declining everything: most picture cases are
        // plain literal calls.
        Assert.True(PictureSuiteCase.Cases.Count > 200, $"only {PictureSuiteCase.Cases.Count} cases extracted");
    }
}
