using Jsonata.Conformance.Suite;

namespace Jsonata.Tests.Conformance;

/// <summary>
/// Runs every case of the official JSONata suite as its own test, twice: with the input in the engine's own model, and
/// as a <c>JsonNode</c>, which the engine reads as the evaluation goes (the path Herald takes).
/// </summary>
public class OfficialSuiteTests
{
    private const string Missing = "(suite not found)";
    private static readonly string? SuiteDir = SuiteLocator.FindSuite();
    private static readonly Lazy<SuiteLoader?> Loader = new(() => SuiteDir == null ? null : new SuiteLoader(SuiteDir));

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        if (Loader.Value == null)
        {
            data.Add(Missing);
            return data;
        }

        foreach (var c in Loader.Value.LoadAll())
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case(string id) => Run(id, InputForm.Parsed, "");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void CaseFromJsonNode(string id) => Run(id, InputForm.JsonNode, " (JsonNode input)");

    private static void Run(string id, InputForm form, string label)
    {
        if (Loader.Value == null || id == Missing)
        {
            SuiteLocator.SkipOrFail("The official suite was not found at ../shared/jsonata/test-suite next to the repository root.");
        }

        var c = Loader.Value.LoadCase(id);
        var outcome = SuiteRunner.Run(c, Loader.Value, form);
        Assert.True(outcome.Passed, $"{id}{label}: {outcome.Detail}");
    }
}
