using System.Text.RegularExpressions;

namespace Herald.Server.Tests.Architecture;

/// <summary>
/// Each feature writes and reads only its own tables: no Delivery/ source names the event log's tables, and no
/// Intake/ source names the queue's. What must commit together shares one write session from Storage/ instead.
/// </summary>
public class TableOwnershipTests
{
    private static string Source(string folder) =>
        Path.Combine(Support.Repository.Root, "src", "Herald.Server", folder);

    [Theory]
    [InlineData("Delivery", "webhook_events")]
    [InlineData("Delivery", "event_inputs")]
    [InlineData("Delivery", "delivery_attempts")]
    [InlineData("Delivery", "idempotency_keys")]
    [InlineData("Intake", "delivery_jobs")]
    [InlineData("Intake", "webhook_events")]
    [InlineData("Intake", "idempotency_keys")]
    public void A_feature_names_no_table_of_another(string folder, string table)
    {
        var offenders = Directory.EnumerateFiles(Source(folder), "*.cs", SearchOption.AllDirectories)
            .Where(file => Regex.IsMatch(File.ReadAllText(file), $@"\b{table}\b"))
            .Select(file => Path.GetRelativePath(Source(folder), file))
            .ToList();
        Assert.True(offenders.Count == 0, $"{folder}/ names {table}, a table of another feature, in: {string.Join(", ", offenders)}");
    }
}
